using System.Buffers;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Serialization;
using HomeSignal.Contracts.Topics;
using HomeSignal.Hub.Ingestion;
using HomeSignal.Hub.Registry;
using HomeSignal.Hub.Tests.Support;

namespace HomeSignal.Hub.Tests.Ingestion;

public sealed class MalformedInputTests : IDisposable
{
    private const string Boot = "0123456789abcdef0123456789abcdef";
    private static readonly string Topic = KitTopics.For("kit-fuzz", KitChannel.Events);
    private readonly HubParts _parts = new();

    public MalformedInputTests() =>
        _parts.Kits.CreateAsync("kit-fuzz", null, [new SensorRecord("door-front", SensorKind.Door, "hal", "front-door")], CancellationToken.None).GetAwaiter().GetResult();

    public static TheoryData<string, string> Corpus => new()
    {
        { "", ContractErrorCodes.Empty },
        { "null", ContractErrorCodes.MalformedJson },
        { "[]", ContractErrorCodes.WrongType },
        { "{}", ContractErrorCodes.MissingField },
        { "{not json", ContractErrorCodes.MalformedJson },
        { "\"just a string\"", ContractErrorCodes.WrongType },
        { new string('[', 5000), ContractErrorCodes.Oversize },
        { "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]", ContractErrorCodes.WrongType },
        { Event(seq: "NaN"), ContractErrorCodes.MalformedJson },
        { Event(seq: "\"5\""), ContractErrorCodes.WrongType },
        { Event(seq: "-1"), ContractErrorCodes.InvalidSequence },
        { Event(seq: "1e400"), ContractErrorCodes.WrongType },
        { Event(seq: "99999999999999999999999"), ContractErrorCodes.WrongType },
        { Event(kit: "kit-other"), ContractErrorCodes.KitIdMismatch },
        { Event(kit: "KIT+#"), ContractErrorCodes.InvalidKitId },
        { Event(boot: "not-a-boot"), ContractErrorCodes.InvalidBootId },
        { Event(state: "ajar"), ContractErrorCodes.InvalidState },
        { Event(kind: "toaster"), ContractErrorCodes.WrongType },
        { Event(sensor: "Door Front"), ContractErrorCodes.InvalidSensorId },
        { Event(ts: "\"yesterday\""), ContractErrorCodes.WrongType },
        { Event(v: "2"), ContractErrorCodes.UnsupportedVersion },
        { Event() + "garbage", ContractErrorCodes.MalformedJson },
        { Event().Replace("\"clockSynced\":true", "\"clockSynced\":null", StringComparison.Ordinal), ContractErrorCodes.WrongType },
        { "\u0000\u0001\u0002", ContractErrorCodes.MalformedJson },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Each_malformed_event_is_rejected_with_its_reason_and_counted(string payload, string expectedCode)
    {
        var result = _parts.Gate.Inspect(Topic, new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(payload)), _parts.Time.GetUtcNow());

        var reject = Assert.IsType<GateResult.Reject>(result);
        Assert.Equal(expectedCode, reject.Code);
        Assert.False(string.IsNullOrWhiteSpace(reject.Message));
        Assert.Equal(1, _parts.Stats.Rejected[expectedCode]);
    }

    [Fact]
    public void A_rejected_event_whose_boot_and_seq_are_readable_is_reported_back_so_the_kit_can_drop_it()
    {
        var result = _parts.Gate.Inspect(Topic, new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(Event(state: "ajar", seq: "42"))), _parts.Time.GetUtcNow());

        var reject = Assert.IsType<GateResult.Reject>(result);
        Assert.Equal(new RejectedEvent(Boot, 42, ContractErrorCodes.InvalidState), reject.Rejection);
    }

    [Fact]
    public void Invalid_utf8_bytes_and_foreign_topics_are_rejected_not_thrown()
    {
        var bytes = new ReadOnlySequence<byte>([0xC3, 0x28, 0xFF, 0xFE]);
        Assert.IsType<GateResult.Reject>(_parts.Gate.Inspect(Topic, bytes, _parts.Time.GetUtcNow()));
        var foreign = Assert.IsType<GateResult.Reject>(_parts.Gate.Inspect("homesignal/v1/kits/kit-fuzz/events/extra", bytes, _parts.Time.GetUtcNow()));
        Assert.Equal(ContractErrorCodes.UnknownTopic, foreign.Code);
    }

    [Property(MaxTest = 500)]
    public bool Any_bytes_on_any_topic_are_answered_never_thrown(byte[] payload, string topic)
    {
        var result = _parts.Gate.Inspect(topic ?? Topic, new ReadOnlySequence<byte>(payload ?? []), _parts.Time.GetUtcNow());
        var onEvents = _parts.Gate.Inspect(Topic, new ReadOnlySequence<byte>(payload ?? []), _parts.Time.GetUtcNow());
        return result is not null && onEvents is GateResult.Reject or GateResult.Accept;
    }

    [Property(MaxTest = 500)]
    public Property A_valid_event_with_one_character_changed_is_accepted_or_rejected_never_thrown() =>
        Prop.ForAll(
            Gen.Choose(0, Event().Length - 1).ToArbitrary(),
            Gen.Elements('"', '{', '}', ',', ':', '0', '9', '-', 'x', ' ', '\\', '\u00e9', '\u0000').ToArbitrary(),
            (position, replacement) =>
            {
                var text = Event().ToCharArray();
                text[position] = replacement;
                var result = _parts.Gate.Inspect(Topic, new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(text)), _parts.Time.GetUtcNow());
                return result is GateResult.Accept or GateResult.Reject;
            });

    public void Dispose() => _parts.Dispose();

    private static string Event(string kit = "kit-fuzz", string boot = Boot, string seq = "1", string sensor = "door-front", string kind = "door", string state = "open", string ts = "\"2026-03-02T08:59:00Z\"", string v = "1") =>
        $$"""{"v":{{v}},"kitId":"{{kit}}","bootId":"{{boot}}","seq":{{seq}},"sensorId":"{{sensor}}","kind":"{{kind}}","state":"{{state}}","ts":{{ts}},"clockSynced":true}""";
}
