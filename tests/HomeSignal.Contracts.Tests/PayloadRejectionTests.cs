using HomeSignal.Contracts.Serialization;

namespace HomeSignal.Contracts.Tests;

public class PayloadRejectionTests
{
    public static TheoryData<string, string, string> BadEvents => new()
    {
        // name, json, expected code
        { "sequence as a string", Replace("\"seq\":1042", "\"seq\":\"1042\""), ContractErrorCodes.WrongType },
        { "clock flag as a number", Replace("\"clockSynced\":true", "\"clockSynced\":1"), ContractErrorCodes.WrongType },
        { "timestamp not a date", Replace("\"ts\":\"2026-11-22T07:12:03.120Z\"", "\"ts\":\"yesterday\""), ContractErrorCodes.WrongType },
        { "state null", Replace("\"state\":\"open\"", "\"state\":null"), ContractErrorCodes.WrongType },
        { "missing sequence", Replace("\"seq\":1042,", string.Empty), ContractErrorCodes.MissingField },
        { "missing timestamp", Replace(",\"ts\":\"2026-11-22T07:12:03.120Z\"", string.Empty), ContractErrorCodes.MissingField },
        { "unknown kind", Replace("\"kind\":\"door\"", "\"kind\":\"window\""), ContractErrorCodes.WrongType },
        { "state not valid for the kind", Replace("\"state\":\"open\"", "\"state\":\"active\""), ContractErrorCodes.InvalidState },
        { "negative sequence", Replace("\"seq\":1042", "\"seq\":-1"), ContractErrorCodes.InvalidSequence },
        { "boot id too short", Replace("4f0c1d2e3a4b5c6d7e8f9a0b1c2d3e4f", "4f0c"), ContractErrorCodes.InvalidBootId },
        { "sensor id with a wildcard", Replace("\"door-front\"", "\"door/#\""), ContractErrorCodes.InvalidSensorId },
        { "kit id with upper case", Replace("\"kitId\":\"kit-7f3a9c\"", "\"kitId\":\"Kit-7F3A9C\""), ContractErrorCodes.InvalidKitId },
        { "future contract version", Replace("\"v\":1", "\"v\":2"), ContractErrorCodes.UnsupportedVersion },
        { "truncated JSON", ContractSamples.EventJson()[..40], ContractErrorCodes.MalformedJson },
        { "an array instead of an object", "[1,2,3]", ContractErrorCodes.WrongType },
        { "JSON null", "null", ContractErrorCodes.MalformedJson },
        { "trailing comma", Replace("\"clockSynced\":true}", "\"clockSynced\":true,}"), ContractErrorCodes.MalformedJson },
        { "not JSON at all", "door open", ContractErrorCodes.MalformedJson },
        { "missing contract version", Replace("\"v\":1,", string.Empty), ContractErrorCodes.MissingField },
    };

    [Theory]
    [MemberData(nameof(BadEvents))]
    public void A_malformed_event_is_refused_with_a_clear_reason(string name, string json, string expectedCode)
    {
        var result = ContractReader.ReadEvent(ContractSamples.Utf8(json), ContractSamples.KitId);

        Assert.False(result.IsValid, $"'{name}' was accepted");
        Assert.Equal(expectedCode, result.Error!.Code);
        Assert.False(string.IsNullOrWhiteSpace(result.Error.Message));
    }

    [Fact]
    public void An_event_whose_kit_id_differs_from_its_topic_is_refused_and_names_both_kits()
    {
        var result = ContractReader.ReadEvent(ContractSamples.Utf8(ContractSamples.EventJson()), "kit-other");

        Assert.Equal(ContractErrorCodes.KitIdMismatch, result.Error!.Code);
        Assert.Contains("kit-7f3a9c", result.Error.Message, StringComparison.Ordinal);
        Assert.Contains("kit-other", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_oversize_event_is_refused_before_it_is_parsed()
    {
        var padding = new string('x', ContractReader.MaxEventBytes);
        var json = Replace("\"clockSynced\":true", $"\"clockSynced\":true,\"pad\":\"{padding}\"");

        var result = ContractReader.ReadEvent(ContractSamples.Utf8(json), ContractSamples.KitId);

        Assert.Equal(ContractErrorCodes.Oversize, result.Error!.Code);
        Assert.Contains(ContractReader.MaxEventBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_payload_is_refused()
    {
        Assert.Equal(ContractErrorCodes.Empty, ContractReader.ReadEvent([], ContractSamples.KitId).Error!.Code);
    }

    [Fact]
    public void A_wrong_type_error_says_where_in_the_payload_it_is()
    {
        var result = ContractReader.ReadEvent(ContractSamples.Utf8(Replace("\"seq\":1042", "\"seq\":\"x\"")), ContractSamples.KitId);

        Assert.Contains("$.seq", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_heartbeat_with_an_absurd_interval_or_temperature_is_refused()
    {
        const string Template = """{"v":1,"kitId":"kit-7f3a9c","bootId":"4f0c1d2e3a4b5c6d7e8f9a0b1c2d3e4f","ts":"2026-11-22T08:00:00Z","uptimeSeconds":5,"intervalSeconds":INTERVAL,"clockSynced":true,"outbox":{"depth":0,"bytes":0,"capacityEvents":1,"capacityBytes":1},"cpuTemperatureCelsius":TEMP,"softwareVersion":"0.1.0"}""";

        var badInterval = ContractReader.ReadHeartbeat(ContractSamples.Utf8(Template.Replace("INTERVAL", "0", StringComparison.Ordinal).Replace("TEMP", "40", StringComparison.Ordinal)), ContractSamples.KitId);
        var badTemperature = ContractReader.ReadHeartbeat(ContractSamples.Utf8(Template.Replace("INTERVAL", "60", StringComparison.Ordinal).Replace("TEMP", "900", StringComparison.Ordinal)), ContractSamples.KitId);
        var good = ContractReader.ReadHeartbeat(ContractSamples.Utf8(Template.Replace("INTERVAL", "60", StringComparison.Ordinal).Replace("TEMP", "40", StringComparison.Ordinal)), ContractSamples.KitId);

        Assert.Equal(ContractErrorCodes.InvalidValue, badInterval.Error!.Code);
        Assert.Equal(ContractErrorCodes.InvalidValue, badTemperature.Error!.Code);
        Assert.True(good.IsValid, good.Error?.ToString());
    }

    [Fact]
    public void An_ack_with_a_backwards_range_is_refused()
    {
        const string Json = """{"v":1,"kitId":"kit-7f3a9c","ts":"2026-11-22T08:00:00Z","stored":[{"bootId":"4f0c1d2e3a4b5c6d7e8f9a0b1c2d3e4f","from":9,"to":3}]}""";

        Assert.Equal(ContractErrorCodes.InvalidSequence, ContractReader.ReadAck(ContractSamples.Utf8(Json), ContractSamples.KitId).Error!.Code);
    }

    [Fact]
    public void An_unknown_command_is_refused()
    {
        const string Json = """{"v":1,"kitId":"kit-7f3a9c","commandId":"c1","name":"format-disk","ts":"2026-11-22T08:00:00Z"}""";

        Assert.Equal(ContractErrorCodes.InvalidValue, ContractReader.ReadCommand(ContractSamples.Utf8(Json), ContractSamples.KitId).Error!.Code);
    }

    private static string Replace(string from, string to) => ContractSamples.EventJson().Replace(from, to, StringComparison.Ordinal);

    [Fact]
    public void A_heartbeat_without_sensor_or_flag_lists_reads_as_empty_lists()
    {
        const string Json = """{"v":1,"kitId":"kit-7f3a9c","bootId":"4f0c1d2e3a4b5c6d7e8f9a0b1c2d3e4f","ts":"2026-11-22T08:00:00Z","uptimeSeconds":5,"intervalSeconds":60,"clockSynced":true,"outbox":{"depth":0,"bytes":0,"capacityEvents":1,"capacityBytes":1},"softwareVersion":"0.1.0"}""";

        var result = ContractReader.ReadHeartbeat(ContractSamples.Utf8(Json), ContractSamples.KitId);

        Assert.True(result.IsValid, result.Error?.ToString());
        Assert.Empty(result.Value!.Sensors);
        Assert.Empty(result.Value.Flags);
    }
}
