using System.Device.Gpio;
using HomeSignal.Edge.Sensors;

namespace HomeSignal.EndToEnd.Tests.Installation;

/// <summary>
/// The test's hand on a door: moves the door and sets the simulated pin to the level the physical reed switch would give,
/// whatever the kit's configuration believes. The pin has a pull-up; a closed contact pulls it low.
/// With <see cref="NormallyOpen"/> (the contact closes while the magnet is near, i.e. the door is shut) and a kit configured
/// <c>Contact: NormallyClosed</c>, the kit reads every movement the wrong way round: the walk test must say "omgekeerd".
/// </summary>
public sealed class ReedContact(SimulatedGpioDriver driver, int pin)
{
    /// <summary>The reed type fitted; "rewiring" swaps it for the other type.</summary>
    public bool NormallyOpen { get; set; } = true;

    public void Shut() => Set(doorOpen: false);

    public void Open() => Set(doorOpen: true);

    private void Set(bool doorOpen)
    {
        var contactClosed = NormallyOpen ? !doorOpen : doorOpen;
        driver.SetLevel(pin, contactClosed ? PinValue.Low : PinValue.High);
    }
}
