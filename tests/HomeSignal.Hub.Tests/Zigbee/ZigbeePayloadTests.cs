using System.Text;
using HomeSignal.Hub.Zigbee;

namespace HomeSignal.Hub.Tests.Zigbee;

public sealed class ZigbeePayloadTests
{
    [Fact]
    public void A_full_zigbee2mqtt_report_yields_contact_battery_and_link_quality()
    {
        var (report, error) = Read("""{"battery":87,"contact":true,"linkquality":120,"voltage":2995,"tamper":false,"last_seen":"2026-11-22T20:00:00Z"}""");
        Assert.Null(error);
        Assert.Equal(new ZigbeeReport(true, null, 87, 120), report);
    }

    [Fact]
    public void Occupancy_is_read_and_other_fields_are_ignored()
    {
        var (report, error) = Read("""{"occupancy":false,"illuminance":12,"battery":null}""");
        Assert.Null(error);
        Assert.Equal(new ZigbeeReport(null, false, null, null), report);
    }

    [Theory]
    [InlineData("", ZigbeePayload.Malformed)]
    [InlineData("not json", ZigbeePayload.Malformed)]
    [InlineData("{\"contact\":tru", ZigbeePayload.Malformed)]
    [InlineData("[1,2,3]", ZigbeePayload.Malformed)]
    [InlineData("\"closed\"", ZigbeePayload.Malformed)]
    [InlineData("{\"contact\":\"true\"}", ZigbeePayload.WrongType)]
    [InlineData("{\"contact\":1}", ZigbeePayload.WrongType)]
    [InlineData("{\"occupancy\":\"yes\"}", ZigbeePayload.WrongType)]
    [InlineData("{\"battery\":NaN}", ZigbeePayload.Malformed)]
    [InlineData("{\"battery\":\"NaN\"}", ZigbeePayload.WrongType)]
    [InlineData("{\"battery\":-1}", ZigbeePayload.WrongType)]
    [InlineData("{\"battery\":101}", ZigbeePayload.WrongType)]
    [InlineData("{\"battery\":1e400}", ZigbeePayload.WrongType)]
    [InlineData("{\"linkquality\":12.5}", ZigbeePayload.WrongType)]
    [InlineData("{\"linkquality\":300}", ZigbeePayload.WrongType)]
    [InlineData("{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{\"i\":{\"j\":{\"k\":{\"l\":{\"m\":{\"n\":{\"o\":{\"p\":{\"q\":1}}}}}}}}}}}}}}}}}", ZigbeePayload.Malformed)]
    public void Bad_reports_are_refused_with_a_reason(string payload, string code)
    {
        var (report, error) = Read(payload);
        Assert.Null(report);
        Assert.Equal(code, error!.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void An_oversize_report_is_refused()
    {
        var (_, error) = ZigbeePayload.ReadReport(Encoding.UTF8.GetBytes("{\"contact\":true,\"x\":\"" + new string('a', 5000) + "\"}"), 4096);
        Assert.Equal(ZigbeePayload.Oversize, error!.Code);
    }

    [Theory]
    [InlineData("{\"state\":\"online\"}", true)]
    [InlineData("{\"state\":\"offline\"}", false)]
    [InlineData("online", true)]
    [InlineData("offline", false)]
    [InlineData(" offline\n", false)]
    public void Availability_is_read_in_both_forms(string payload, bool online)
    {
        var (state, error) = ZigbeePayload.ReadAvailability(Encoding.UTF8.GetBytes(payload), 4096);
        Assert.Null(error);
        Assert.Equal(online, state);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Offline")]
    [InlineData("{\"state\":true}")]
    [InlineData("{\"status\":\"online\"}")]
    [InlineData("{\"state\":\"asleep\"}")]
    [InlineData("{\"state\":")]
    public void Bad_availability_is_refused(string payload)
    {
        var (state, error) = ZigbeePayload.ReadAvailability(Encoding.UTF8.GetBytes(payload), 4096);
        Assert.Null(state);
        Assert.NotNull(error);
    }

    [Fact]
    public void Random_bytes_never_crash_the_parsers()
    {
        var random = new Random(42);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 64)];
            random.NextBytes(bytes);
            var (report, error) = ZigbeePayload.ReadReport(bytes, 4096);
            Assert.True(report is not null ^ error is not null);
            var (online, problem) = ZigbeePayload.ReadAvailability(bytes, 4096);
            Assert.True(online is not null ^ problem is not null);
        }
    }

    private static (ZigbeeReport? Report, ZigbeeRejection? Error) Read(string payload) => ZigbeePayload.ReadReport(Encoding.UTF8.GetBytes(payload), 4096);
}
