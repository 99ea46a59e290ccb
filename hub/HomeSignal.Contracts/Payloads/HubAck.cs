namespace HomeSignal.Contracts.Payloads;

/// <summary>
/// Hub to kit on <c>…/acks</c>, sent only after the hub's durable write. A kit removes an event from its outbox only
/// when it appears in <see cref="Stored"/> (stored now, stored before, or quarantined) or <see cref="Rejected"/>.
/// </summary>
public sealed record HubAck
{
    private readonly IReadOnlyList<SeqRange> _stored = [];
    private readonly IReadOnlyList<RejectedEvent> _rejected = [];

    public int V { get; init; } = ContractVersion.Current;

    public required string KitId { get; init; }

    public required DateTimeOffset Ts { get; init; }

    public IReadOnlyList<SeqRange> Stored { get => _stored; init => _stored = value ?? []; }

    public IReadOnlyList<RejectedEvent> Rejected { get => _rejected; init => _rejected = value ?? []; }
}

/// <summary>An inclusive range of sequence numbers of one boot.</summary>
public sealed record SeqRange(string BootId, long From, long To);

public sealed record RejectedEvent(string BootId, long Seq, string Reason);
