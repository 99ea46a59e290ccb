global using HomeSignal.Detection;
global using HomeSignal.Detection.Tests.Homes;
