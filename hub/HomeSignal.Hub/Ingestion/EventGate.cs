using System.Buffers;
using System.Text.Json;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Serialization;
using HomeSignal.Contracts.Topics;
using HomeSignal.Hub.Health;
using HomeSignal.Hub.Registry;
using HomeSignal.Hub.Storage;
using Microsoft.Extensions.Options;

namespace HomeSignal.Hub.Ingestion;

/// <summary>What to do with one incoming MQTT message.</summary>
public abstract record GateResult
{
    /// <summary>A valid event (possibly quarantined) to store.</summary>
    public sealed record Accept(string KitId, EventToStore Event) : GateResult;

    /// <summary>An event refused; <see cref="Rejection"/> is set when the kit can be told which one (boot and seq readable).</summary>
    public sealed record Reject(string? KitId, string Code, string Message, RejectedEvent? Rejection) : GateResult;

    /// <summary>Handled already (heartbeat, status) or nothing to do.</summary>
    public sealed record Done : GateResult;
}

/// <summary>
/// Validates incoming messages: topic, size, schema and kit/topic match (through <see cref="ContractReader"/>), a known
/// kit, and a plausible timestamp. Never throws on bad input; every refusal is counted and logged with its reason.
/// </summary>
public sealed class EventGate(
    IOptions<IngestionOptions> options,
    KitRegistry kits,
    KitHealthTracker health,
    IngestStats stats,
    ILogger<EventGate> logger)
{
    public const string UnknownKit = "unknown-kit";

    public GateResult Inspect(string topic, ReadOnlySequence<byte> payload, DateTimeOffset receivedAt)
    {
        if (!KitTopics.TryParse(topic, out var kitId, out var channel))
        {
            stats.CountReceived();
            return Refuse(null, ContractErrorCodes.UnknownTopic, $"Topic '{Truncate(topic)}' is not a kit topic of contract v1.", null);
        }

        if (payload.Length > ContractReader.MaxHealthBytes)
        {
            if (channel == KitChannel.Events)
            {
                stats.CountReceived();
            }

            return Refuse(kitId, ContractErrorCodes.Oversize, $"The payload is {payload.Length} bytes; at most {ContractReader.MaxHealthBytes} are accepted.", null);
        }

        var bytes = payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray();
        return channel switch
        {
            KitChannel.Events => InspectEvent(kitId, bytes, receivedAt),
            KitChannel.Heartbeat => InspectHeartbeat(kitId, bytes, receivedAt),
            KitChannel.Status => InspectStatus(kitId, bytes, receivedAt),
            _ => new GateResult.Done(),
        };
    }

    private GateResult InspectEvent(string kitId, ReadOnlySpan<byte> bytes, DateTimeOffset receivedAt)
    {
        stats.CountReceived();
        var result = ContractReader.ReadEvent(bytes, kitId);
        if (!result.IsValid)
        {
            return Refuse(kitId, result.Error!.Code, result.Error.Message, Identify(bytes, result.Error));
        }

        var e = result.Value!;
        if (kits.Find(kitId) is null)
        {
            return Refuse(kitId, UnknownKit, $"Kit '{kitId}' is not registered at this hub.", new RejectedEvent(e.BootId, e.Seq, UnknownKit));
        }

        var quarantine = TimestampProblem(e.Ts, receivedAt);
        if (quarantine is not null)
        {
            logger.LogWarning("Quarantined event {Kit}/{Boot}/{Seq}: {Reason}", kitId, e.BootId, e.Seq, quarantine);
        }

        return new GateResult.Accept(kitId, new EventToStore(e, receivedAt, quarantine));
    }

    private GateResult InspectHeartbeat(string kitId, ReadOnlySpan<byte> bytes, DateTimeOffset receivedAt)
    {
        var result = ContractReader.ReadHeartbeat(bytes, kitId);
        if (!result.IsValid)
        {
            return Refuse(kitId, result.Error!.Code, "Heartbeat: " + result.Error.Message, null);
        }

        if (kits.Find(kitId) is null)
        {
            return Refuse(kitId, UnknownKit, $"Heartbeat of kit '{kitId}', which is not registered at this hub.", null);
        }

        health.OnHeartbeat(result.Value!, receivedAt);
        return new GateResult.Done();
    }

    private GateResult InspectStatus(string kitId, ReadOnlySpan<byte> bytes, DateTimeOffset receivedAt)
    {
        var result = ContractReader.ReadStatus(bytes, kitId);
        if (!result.IsValid)
        {
            return Refuse(kitId, result.Error!.Code, "Status: " + result.Error.Message, null);
        }

        if (kits.Find(kitId) is not null)
        {
            health.OnStatus(result.Value!, receivedAt);
        }

        return new GateResult.Done();
    }

    /// <summary>Why an event time cannot be trusted (a kit clock at 1970, or far ahead), or null when plausible.</summary>
    public string? TimestampProblem(DateTimeOffset ts, DateTimeOffset receivedAt)
    {
        var o = options.Value;
        if (ts < receivedAt - o.MaxEventAge)
        {
            return $"implausible-timestamp: the kit time {ts:O} is {(receivedAt - ts).TotalDays:0.#} days before the hub received it (at most {o.MaxEventAge.TotalDays:0.#} days accepted).";
        }

        if (ts > receivedAt + o.MaxClockAhead)
        {
            return $"implausible-timestamp: the kit time {ts:O} is {(ts - receivedAt).TotalMinutes:0} minutes after the hub received it (at most {o.MaxClockAhead.TotalMinutes:0} minutes accepted).";
        }

        return null;
    }

    private GateResult.Reject Refuse(string? kitId, string code, string message, RejectedEvent? rejection)
    {
        stats.CountRejected(code);
        logger.LogWarning("Rejected message from kit {Kit}: {Code}: {Message}", kitId ?? "(unknown)", code, message);
        return new GateResult.Reject(kitId, code, message, rejection);
    }

    /// <summary>
    /// Reads boot id and seq leniently from a refused payload, so the kit can be told which event was refused and drop
    /// it from its outbox instead of resending it forever.
    /// </summary>
    private static RejectedEvent? Identify(ReadOnlySpan<byte> bytes, ContractError error)
    {
        if (error.Code is ContractErrorCodes.KitIdMismatch or ContractErrorCodes.InvalidKitId)
        {
            // The payload claims another identity: nothing may be acknowledged on its behalf.
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 8 });
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("bootId", out var boot) && boot.ValueKind == JsonValueKind.String
                && ContractReader.IsValidBootId(boot.GetString())
                && document.RootElement.TryGetProperty("seq", out var seq) && seq.ValueKind == JsonValueKind.Number && seq.TryGetInt64(out var n) && n >= 0)
            {
                return new RejectedEvent(boot.GetString()!, n, error.Code);
            }
        }
        catch (JsonException)
        {
            // Not JSON at all: the kit cannot be told which event it was.
        }

        return null;
    }

    private static string Truncate(string? text) =>
        text is null ? string.Empty : text.Length <= 120 ? text : text[..120] + "…";
}
