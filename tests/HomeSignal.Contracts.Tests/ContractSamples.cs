using System.Text;
using HomeSignal.Contracts.Payloads;

namespace HomeSignal.Contracts.Tests;

internal static class ContractSamples
{
    public const string KitId = "kit-7f3a9c";
    public const string BootId = "4f0c1d2e3a4b5c6d7e8f9a0b1c2d3e4f";

    public static SensorEvent DoorOpened(long seq = 1042) => new()
    {
        KitId = KitId,
        BootId = BootId,
        Seq = seq,
        SensorId = "door-front",
        Kind = SensorKind.Door,
        State = SensorStates.Open,
        Ts = new DateTimeOffset(2026, 11, 22, 7, 12, 3, 120, TimeSpan.Zero),
        ClockSynced = true,
    };

    public static string EventJson(string? overrideFragment = null) =>
        overrideFragment ?? """{"v":1,"kitId":"kit-7f3a9c","bootId":"4f0c1d2e3a4b5c6d7e8f9a0b1c2d3e4f","seq":1042,"sensorId":"door-front","kind":"door","state":"open","ts":"2026-11-22T07:12:03.120Z","clockSynced":true}""";

    public static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);
}
