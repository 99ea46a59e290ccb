using HomeSignal.Contracts.Payloads;
using HomeSignal.Hub.Registry;
using HomeSignal.Hub.Storage;

namespace HomeSignal.Hub.Provisioning;

/// <summary>Step states and problems of a walk test, as the API reports them.</summary>
public static class WalkTestWords
{
    public const string Waiting = "waiting";
    public const string Current = "current";
    public const string Passed = "passed";
    public const string Failed = "failed";

    public const string NoEvent = "no-event";
    public const string Inverted = "inverted";
    public const string Bouncing = "bouncing";
}

public sealed record WalkTestStepView(
    string SensorId,
    string Kind,
    string? Room,
    string Instruction,
    string Status,
    string? Problem,
    string? Explanation,
    int Events,
    DateTimeOffset? LastEventAt,
    bool Optional);

public sealed record WalkTestView(string KitId, DateTimeOffset StartedAt, bool Passed, string? CurrentSensorId, IReadOnlyList<WalkTestStepView> Steps);

/// <summary>Everything a walk test knows, as saved in the registry: steps in test order with what each saw.</summary>
public sealed record WalkTestState(string KitId, DateTimeOffset StartedAt, IReadOnlyList<WalkTestStepState> Steps);

public sealed record WalkTestStepState(
    string SensorId,
    string Kind,
    string? Room,
    string? Purpose,
    string Status,
    string? Problem,
    DateTimeOffset CurrentSince,
    DateTimeOffset JudgeFrom,
    int Events,
    DateTimeOffset? LastEventAt,
    IReadOnlyList<WalkTestReading> Readings);

/// <summary>One judged reading of a step's sensor (its state and kit time).</summary>
public sealed record WalkTestReading(string State, DateTimeOffset Ts);

/// <summary>
/// The installer's walk test of one kit, sensor by sensor: front door, motion sensors room by room, post flap, post
/// box door; buttons last and optional. Fed with the kit's stored events; a step passes on the expected events
/// (contact: open then closed; motion: active; button: pressed) and fails as <c>inverted</c> (a contact reports closed
/// first), <c>bouncing</c> (more than <see cref="ProvisioningOptions.BounceChanges"/> changes within
/// <see cref="ProvisioningOptions.BounceWindow"/>) or <c>no-event</c> (nothing within
/// <see cref="ProvisioningOptions.WalkTestStepTimeout"/> of becoming current). Not thread-safe: <see cref="WalkTests"/> locks.
/// </summary>
public sealed class WalkTest
{
    private readonly ProvisioningOptions _options;
    private readonly List<Step> _steps;

    public WalkTest(string kitId, IEnumerable<SensorRecord> sensors, ProvisioningOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(sensors);
        ArgumentNullException.ThrowIfNull(options);
        KitId = kitId;
        StartedAt = now;
        _options = options;
        _steps = [.. sensors
            .Where(s => s.Kind != SensorKind.Kit)
            .Select((s, index) => (Sensor: s, Index: index))
            .OrderBy(x => Order(x.Sensor.Kind))
            .ThenBy(x => x.Index)
            .Select(x => new Step(x.Sensor))];
        Advance(now);
    }

    private WalkTest(string kitId, DateTimeOffset startedAt, ProvisioningOptions options, List<Step> steps)
    {
        KitId = kitId;
        StartedAt = startedAt;
        _options = options;
        _steps = steps;
    }

    public string KitId { get; }

    public DateTimeOffset StartedAt { get; }

    /// <summary>Every required step (all but buttons) passed; a kit without any required sensor never passes.</summary>
    public bool Passed => _steps.Any(s => !s.Optional) && _steps.Where(s => !s.Optional).All(s => s.Status == WalkTestWords.Passed);

    /// <summary>Takes one stored event of this kit. Events of unknown sensors and of the kit itself are ignored.</summary>
    public void OnEvent(string sensorId, string state, DateTimeOffset ts, DateTimeOffset receivedAt)
    {
        var step = _steps.FirstOrDefault(s => string.Equals(s.Sensor.SensorId, sensorId, StringComparison.Ordinal));
        if (step is null)
        {
            return;
        }

        step.Events++;
        step.LastEventAt = receivedAt;
        if (step.Status == WalkTestWords.Failed)
        {
            return; // Settled until the installer retries it; the event is stored all the same.
        }

        if (ts < step.JudgeFrom)
        {
            // Happened before the installer pressed "Opnieuw" but arrived after it (e.g. the reading of the rewired
            // contact at rest): judging it would fail the fresh attempt before the installer touched anything.
            return;
        }

        step.States.Add((state, ts));
        if (step.Status == WalkTestWords.Passed)
        {
            // A passed step only checks for bouncing: readings older than the bounce window are not needed (and a
            // walk test left open for days must not grow without bound).
            step.States.RemoveAll(r => ts - r.Ts > _options.BounceWindow);
        }

        if (step.IsContact && IsBouncing(step))
        {
            step.Fail(WalkTestWords.Bouncing); // also after passing: chatter after a clean open/close is still a bad contact
        }
        else if (step.Status != WalkTestWords.Passed)
        {
            Judge(step);
        }

        Advance(receivedAt);
    }

    /// <summary>Makes a step current again, forgetting what it saw.</summary>
    public bool Retry(string sensorId, DateTimeOffset now)
    {
        var step = _steps.FirstOrDefault(s => string.Equals(s.Sensor.SensorId, sensorId, StringComparison.Ordinal));
        if (step is null)
        {
            return false;
        }

        foreach (var current in _steps.Where(s => s.Status == WalkTestWords.Current))
        {
            current.Status = WalkTestWords.Waiting;
        }

        step.Reset();
        step.Status = WalkTestWords.Current;
        step.CurrentSince = now;
        step.JudgeFrom = now;
        return true;
    }

    public WalkTestView View(DateTimeOffset now)
    {
        Advance(now);
        var current = _steps.FirstOrDefault(s => s.Status == WalkTestWords.Current);
        return new WalkTestView(KitId, StartedAt, Passed, current?.Sensor.SensorId, [.. _steps.Select(s => new WalkTestStepView(
            s.Sensor.SensorId,
            SensorKinds.ToText(s.Sensor.Kind),
            s.Sensor.Room,
            Instruction(s.Sensor),
            s.Status,
            s.Problem,
            Explanation(s.Problem),
            s.Events,
            s.LastEventAt,
            s.Optional))]);
    }

    public WalkTestState ToState() => new(KitId, StartedAt, [.. _steps.Select(s => new WalkTestStepState(
        s.Sensor.SensorId,
        SensorKinds.ToText(s.Sensor.Kind),
        s.Sensor.Room,
        s.Sensor.Purpose,
        s.Status,
        s.Problem,
        s.CurrentSince,
        s.JudgeFrom,
        s.Events,
        s.LastEventAt,
        [.. s.States.Select(r => new WalkTestReading(r.State, r.Ts))]))]);

    /// <summary>A saved walk test, as it was (null when the state is not one a walk test can be in).</summary>
    public static WalkTest? FromState(WalkTestState state, ProvisioningOptions options)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(options);
        var steps = new List<Step>();
        foreach (var saved in state.Steps ?? [])
        {
            if (saved is null || string.IsNullOrEmpty(saved.SensorId) || !SensorKinds.TryParse(saved.Kind, out var kind) || !IsStatus(saved.Status) || saved.Events < 0)
            {
                return null;
            }

            var step = new Step(new SensorRecord(saved.SensorId, kind, saved.Room, saved.Purpose))
            {
                Status = saved.Status,
                Problem = saved.Problem,
                CurrentSince = saved.CurrentSince,
                JudgeFrom = saved.JudgeFrom,
                Events = saved.Events,
                LastEventAt = saved.LastEventAt,
            };
            step.States.AddRange((saved.Readings ?? []).Where(r => r is not null).Select(r => (r.State, r.Ts)));
            steps.Add(step);
        }

        return string.IsNullOrEmpty(state.KitId) || steps.Count == 0 ? null : new WalkTest(state.KitId, state.StartedAt, options, steps);
    }

    private static bool IsStatus(string? status) =>
        status is WalkTestWords.Waiting or WalkTestWords.Current or WalkTestWords.Passed or WalkTestWords.Failed;

    /// <summary>Times out the current step when it saw nothing, then makes the first open step current.</summary>
    private void Advance(DateTimeOffset now)
    {
        // Each pass fails one silent step or makes one waiting step current, so twice the step count always suffices.
        for (var pass = 0; pass <= 2 * _steps.Count; pass++)
        {
            var current = _steps.FirstOrDefault(s => s.Status == WalkTestWords.Current);
            if (current is not null)
            {
                if (current.States.Count == 0 && now - current.CurrentSince >= _options.WalkTestStepTimeout)
                {
                    current.Fail(WalkTestWords.NoEvent);
                    continue;
                }

                return;
            }

            var next = _steps.FirstOrDefault(s => s.Status == WalkTestWords.Waiting);
            if (next is null)
            {
                return;
            }

            next.Status = WalkTestWords.Current;
            next.CurrentSince = now;
        }
    }

    private void Judge(Step step)
    {
        switch (step.Sensor.Kind)
        {
            case SensorKind.Door or SensorKind.MailboxFlap or SensorKind.MailboxDoor:
                JudgeContact(step);
                break;
            case SensorKind.Motion when step.States.Any(s => s.State == SensorStates.Active):
                step.Pass();
                break;
            case SensorKind.Button when step.States.Any(s => s.State == SensorStates.Pressed):
                step.Pass();
                break;
        }
    }

    private void JudgeContact(Step step)
    {
        var states = step.States;
        if (states[0].State == SensorStates.Closed)
        {
            // Opening the door made the sensor say "closed": wired or configured the wrong way round.
            step.Fail(WalkTestWords.Inverted);
            return;
        }

        var opened = states.FindIndex(s => s.State == SensorStates.Open);
        if (opened >= 0 && states.Skip(opened + 1).Any(s => s.State == SensorStates.Closed))
        {
            step.Pass();
        }
    }

    private bool IsBouncing(Step step)
    {
        var last = step.States[^1].Ts;
        return step.States.Count(s => last - s.Ts <= _options.BounceWindow) > _options.BounceChanges;
    }

    private static int Order(SensorKind kind) => kind switch
    {
        SensorKind.Door => 0,
        SensorKind.Motion => 1,
        SensorKind.MailboxFlap => 2,
        SensorKind.MailboxDoor => 3,
        _ => 4,
    };

    private static string Instruction(SensorRecord sensor)
    {
        var room = string.IsNullOrWhiteSpace(sensor.Room) ? string.Empty : $" in de {sensor.Room}";
        return sensor.Kind switch
        {
            SensorKind.Door => "Open de voordeur en sluit hem weer",
            SensorKind.Motion => $"Loop langs de bewegingssensor{room}",
            SensorKind.MailboxFlap => "Duw de klep van de brievenbus open",
            SensorKind.MailboxDoor => "Open de brievenbus (deurtje of deksel) en sluit hem weer",
            SensorKind.Button => $"Druk op de knop 'alles goed'{room} (mag ook later)",
            _ => "Gebruik deze sensor",
        };
    }

    private static string? Explanation(string? problem) => problem switch
    {
        WalkTestWords.Inverted => "De sensor meldt dicht als hij open gaat: de draden of de instelling 'Contact' staan omgekeerd.",
        WalkTestWords.Bouncing => "Het contact springt snel heen en weer: controleer of de magneet dicht genoeg bij het contact zit en goed vastzit.",
        WalkTestWords.NoEvent => "Er kwam geen signaal van deze sensor: controleer de bedrading, de aansluiting (pin) en of de sensor goed gericht is.",
        _ => null,
    };

    private sealed class Step(SensorRecord sensor)
    {
        public SensorRecord Sensor { get; } = sensor;

        public bool Optional => Sensor.Kind == SensorKind.Button;

        public bool IsContact => Sensor.Kind is SensorKind.Door or SensorKind.MailboxFlap or SensorKind.MailboxDoor;

        public string Status { get; set; } = WalkTestWords.Waiting;

        public string? Problem { get; set; }

        public DateTimeOffset CurrentSince { get; set; }

        /// <summary>Events that happened (kit time) before this, i.e. before a retry, are counted but not judged.</summary>
        public DateTimeOffset JudgeFrom { get; set; } = DateTimeOffset.MinValue;

        public int Events { get; set; }

        public DateTimeOffset? LastEventAt { get; set; }

        public List<(string State, DateTimeOffset Ts)> States { get; } = [];

        public void Pass()
        {
            Status = WalkTestWords.Passed;
            Problem = null;
        }

        public void Fail(string problem)
        {
            Status = WalkTestWords.Failed;
            Problem = problem;
        }

        public void Reset()
        {
            States.Clear();
            Problem = null;
            Events = 0;
            LastEventAt = null;
        }
    }
}
