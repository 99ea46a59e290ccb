using System.Text;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Provisioning;
using HomeSignal.Contracts.Serialization;

namespace HomeSignal.Hub.Tests.Provisioning;

/// <summary>The claim exchange's payloads: every bad input is a stable code and a sentence, never an exception.</summary>
public sealed class ClaimReaderTests
{
    private static readonly string Secret = ClaimSecret.New();

    [Fact]
    public void A_valid_poll_is_read_and_its_code_normalised()
    {
        var result = ClaimReader.ReadPoll(Bytes($$"""{"claimCode":"7k3mq9tx2b","claimSecret":"{{Secret}}","softwareVersion":"1.2.3","sensors":[{"sensorId":"door-front","kind":"door","room":"hal","purpose":"voordeur"}]}"""));

        Assert.True(result.IsValid, result.Error?.Message);
        Assert.Equal("7K3M-Q9TX-2B", result.Value!.ClaimCode);
        Assert.Equal(SensorKind.Door, Assert.Single(result.Value.Sensors).Kind);
    }

    [Theory]
    [InlineData("", ContractErrorCodes.Empty)]
    [InlineData("{ not json", ContractErrorCodes.MalformedJson)]
    [InlineData("""{"claimSecret":"SECRET","softwareVersion":"1"}""", ContractErrorCodes.MissingField)]
    [InlineData("""{"claimCode":42,"claimSecret":"SECRET","softwareVersion":"1"}""", ContractErrorCodes.WrongType)]
    [InlineData("""{"claimCode":"7K3M-Q9TX-2U","claimSecret":"SECRET","softwareVersion":"1"}""", ContractErrorCodes.InvalidValue)]
    [InlineData("""{"claimCode":"7K3M-Q9TX-2B","claimSecret":"short","softwareVersion":"1"}""", ContractErrorCodes.InvalidValue)]
    [InlineData("""{"claimCode":"7K3M-Q9TX-2B","claimSecret":"SECRET","softwareVersion":""}""", ContractErrorCodes.InvalidValue)]
    [InlineData("""{"claimCode":"7K3M-Q9TX-2B","claimSecret":"SECRET","softwareVersion":"1","sensors":[{"sensorId":"Door!","kind":"door","room":"hal","purpose":"x"}]}""", ContractErrorCodes.InvalidSensorId)]
    [InlineData("""{"claimCode":"7K3M-Q9TX-2B","claimSecret":"SECRET","softwareVersion":"1","sensors":[{"sensorId":"kit","kind":"kit","room":"hal","purpose":"x"}]}""", ContractErrorCodes.InvalidValue)]
    [InlineData("""{"claimCode":"7K3M-Q9TX-2B","claimSecret":"SECRET","softwareVersion":"1","sensors":[{"sensorId":"a","kind":"toaster","room":"hal","purpose":"x"}]}""", ContractErrorCodes.WrongType)]
    [InlineData("""{"claimCode":"7K3M-Q9TX-2B","claimSecret":"SECRET","softwareVersion":"1","sensors":[{"sensorId":"a","kind":"door","room":"","purpose":"x"}]}""", ContractErrorCodes.InvalidValue)]
    [InlineData("""{"claimCode":"7K3M-Q9TX-2B","claimSecret":"SECRET","softwareVersion":"1","sensors":[{"sensorId":"a","kind":"door","room":"hal","purpose":"x"},{"sensorId":"a","kind":"door","room":"hal","purpose":"x"}]}""", ContractErrorCodes.InvalidSensorId)]
    public void A_bad_poll_is_refused_with_a_stable_code_and_a_sentence(string json, string code)
    {
        var result = ClaimReader.ReadPoll(Bytes(json.Replace("SECRET", Secret, StringComparison.Ordinal)));

        Assert.False(result.IsValid);
        Assert.Equal(code, result.Error!.Code);
        Assert.EndsWith(".", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_oversized_poll_is_refused_before_parsing()
    {
        var result = ClaimReader.ReadPoll(new byte[ClaimReader.MaxPollBytes + 1]);

        Assert.Equal(ContractErrorCodes.Oversize, result.Error!.Code);
    }

    [Fact]
    public void An_enrolled_answer_round_trips_and_an_incomplete_one_is_refused()
    {
        var answer = new ClaimAnswer
        {
            Status = ClaimStatuses.Enrolled,
            KitId = "kit-1a2b3c",
            Broker = new ClaimBroker("hub.example.nl", 8883, UseTls: true),
            Username = "kit-1a2b3c",
            Password = "secret-password",
            Tls = new ClaimTls { CaCertificatePem = "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----" },
            Sensors = [new SensorAssignment("door-front", SensorKind.Door, "hal", "voordeur")],
            HeartbeatIntervalSeconds = 60,
        };

        var read = ClaimReader.ReadAnswer(ClaimReader.Write(answer));
        Assert.True(read.IsValid, read.Error?.Message);
        Assert.Equal(answer.Broker, read.Value!.Broker);

        Assert.Equal(ContractErrorCodes.MissingField, ClaimReader.ReadAnswer(ClaimReader.Write(answer with { Password = null })).Error!.Code);
        Assert.Equal(ContractErrorCodes.MissingField, ClaimReader.ReadAnswer(ClaimReader.Write(answer with { Broker = null })).Error!.Code);
        Assert.Equal(ContractErrorCodes.InvalidKitId, ClaimReader.ReadAnswer(ClaimReader.Write(answer with { KitId = "Kit+#" })).Error!.Code);
        Assert.Equal(ContractErrorCodes.InvalidValue, ClaimReader.ReadAnswer(ClaimReader.Write(answer with { Tls = answer.Tls with { ClientCertificatePem = "x" } })).Error!.Code);
        Assert.Equal(ContractErrorCodes.InvalidValue, ClaimReader.ReadAnswer(Bytes("""{"status":"maybe"}""")).Error!.Code);
        Assert.True(ClaimReader.ReadAnswer(Bytes("""{"status":"waiting","retryAfterSeconds":10}""")).IsValid);
        Assert.Null(ClaimReader.ReadProblem(Bytes("not json")));
        Assert.Equal("claim-used", ClaimReader.ReadProblem(Bytes("""{"status":410,"code":"claim-used","detail":"used","traceId":"x"}"""))!.Code);
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
