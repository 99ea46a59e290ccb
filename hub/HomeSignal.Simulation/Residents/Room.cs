namespace HomeSignal.Simulation.Residents;

/// <summary>The rooms of a simulated home. Every home has a bedroom, living room and bathroom; hall and kitchen sensors are optional.</summary>
public enum Room
{
    Hall,
    Living,
    Kitchen,
    Bathroom,
    Bedroom,
}
