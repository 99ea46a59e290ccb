using System.Globalization;
using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Hub;
using HomeSignal.Dashboard.Notifications;
using HomeSignal.Dashboard.Storage;
using Microsoft.Extensions.Options;

namespace HomeSignal.Dashboard.Outreach;

public sealed record PlannerRun(int SignalsRead, int TasksCreated, int EvidenceAdded, int Ignored, int Escalated, int LabelsSent, bool BelrondePrepared);

/// <summary>
/// Turns the hub's signals into tasks (one active task per resident and kind; repeated signals add evidence), prepares the
/// belronde list before the round, escalates urgent meldingen nobody picked up, and resends labels and notifications.
/// The demo and tests call <see cref="RunOnceAsync"/> directly; <see cref="OutreachWorker"/> calls it on a timer.
/// </summary>
public sealed class OutreachPlanner(HubClient hub, TaskStore tasks, Caseload caseload, UserStore users, LabelOutbox labels, MeldingNotifier notifier,
    DashboardDatabase database, LocalClock clock, IOptions<OutreachOptions> options, ILogger<OutreachPlanner> logger) : IDisposable
{
    private const string CursorKey = "signals.cursor";
    internal const string PreparedKey = "belronde.prepared";
    private readonly SemaphoreSlim gate = new(1, 1);

    public void Dispose() => gate.Dispose();

    public async Task<PlannerRun> RunOnceAsync(CancellationToken ct = default)
    {
        // One run at a time: the worker and the demo may both call in.
        await gate.WaitAsync(ct);
        try
        {
            var (read, created, added, ignored) = await IntakeAsync(ct);
            var prepared = false;
            // Preparing is idempotent, so it runs every time after the list is due: someone put on the daily round
            // at 10:00 is still called today.
            if (clock.ListIsReady && clock.CallDay == clock.Today)
            {
                try
                {
                    var first = database.GetMeta(PreparedKey) != Day(clock.Today);
                    created += await PrepareBelrondeAsync(clock.Today, ct);
                    prepared = first;
                }
                catch (HubUnavailableException e)
                {
                    // Not marked as prepared: the next run tries again.
                    logger.LogWarning("Belronde list not prepared yet: {Error}", e.Message);
                }
            }

            ReassignFromInactiveOwners();
            var escalated = await EscalateOverdueAsync(ct);
            await RetryNotificationsAsync(ct);
            var sent = await labels.FlushAsync(ct);
            return new PlannerRun(read, created, added, ignored, escalated, sent, prepared);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Puts residents who are on the daily round by choice on the day's list (with belronde consent). Idempotent: nobody
    /// gets a second call on a day they already had one.
    /// </summary>
    public async Task<int> PrepareBelrondeAsync(DateOnly day, CancellationToken ct = default)
    {
        var created = 0;
        var calledToday = tasks.ForDay(TaskKinds.BelrondeCall, day).Select(t => t.ResidentId).ToHashSet();
        foreach (var entry in caseload.DailyRound())
        {
            if (calledToday.Contains(entry.ResidentId) || tasks.FindActive(entry.ResidentId, TaskKinds.BelrondeCall) is not null
                || !(await hub.ConsentAsync(entry.ResidentId, ct)).Belronde)
            {
                continue;
            }

            tasks.Insert(new OutreachTask
            {
                ResidentId = entry.ResidentId, Kind = TaskKinds.BelrondeCall, Status = TaskStatuses.Open,
                Owner = caseload.PickOwner(entry.ResidentId, Roles.Vrijwilliger), OwnerRole = Roles.Vrijwilliger,
                Priority = SignalRouting.PriorityByChoice, ByChoice = true, Title = "Dagelijks belletje",
                Reason = entry.Reason, Question = "Goedemorgen! Hoe gaat het vandaag met u?", DueDate = day, CreatedAt = clock.UtcNow,
            }, null, "systeem");
            created++;
        }

        database.SetMeta(PreparedKey, Day(day));
        return created;
    }

    private async Task<(int Read, int Created, int Added, int Ignored)> IntakeAsync(CancellationToken ct)
    {
        var cursorText = database.GetMeta(CursorKey);
        var cursor = cursorText is null
            ? clock.UtcNow.AddDays(-options.Value.FirstPollDays)
            : DateTimeOffset.Parse(cursorText, CultureInfo.InvariantCulture).AddSeconds(-options.Value.OverlapSeconds);
        IReadOnlyList<HubSignal> signals;
        try
        {
            signals = await hub.SignalsSinceAsync(cursor, ct);
        }
        catch (HubUnavailableException e)
        {
            logger.LogWarning("Signals not read this run: {Error}", e.Message);
            return (0, 0, 0, 0);
        }

        int created = 0, added = 0, ignored = 0;
        var consents = new Dictionary<string, HubConsent>();
        var newest = cursorText is null ? (DateTimeOffset?)null : DateTimeOffset.Parse(cursorText, CultureInfo.InvariantCulture);
        foreach (var signal in signals)
        {
            if (string.IsNullOrWhiteSpace(signal.SignalId) || string.IsNullOrWhiteSpace(signal.ResidentId))
            {
                logger.LogWarning("Signal without id or resident ignored.");
                ignored++;
                continue;
            }

            var stamp = signal.UpdatedAt > signal.RaisedAt ? signal.UpdatedAt : signal.RaisedAt;
            newest = newest is null || stamp > newest ? stamp : newest;
            if (signal.ResolvedAt is not null && tasks.TaskOfSignal(signal.SignalId) is null)
            {
                // Already over before anyone saw it (e.g. found in old history): it stays in the resident's record,
                // but nobody is asked to call or visit for it now.
                ignored++;
                continue;
            }

            if (!consents.TryGetValue(signal.ResidentId, out var consent))
            {
                consent = consents[signal.ResidentId] = await hub.ConsentAsync(signal.ResidentId, ct);
            }

            switch (await IntakeOneAsync(signal, consent, ct))
            {
                case IntakeResult.Created: created++; break;
                case IntakeResult.Added: added++; break;
                case IntakeResult.Ignored: ignored++; break;
                default: break;
            }
        }

        if (newest is not null)
        {
            database.SetMeta(CursorKey, newest.Value.Iso());
        }

        return (signals.Count, created, added, ignored);
    }

    private enum IntakeResult { Created, Added, Updated, Ignored }

    private async Task<IntakeResult> IntakeOneAsync(HubSignal signal, HubConsent consent, CancellationToken ct)
    {
        var evidence = new TaskSignal(signal.SignalId, signal.Kind, signal.Severity, signal.Title, signal.Reason,
            signal.Question, signal.RaisedAt, Explain(signal));
        if (tasks.TaskOfSignal(signal.SignalId) is long known)
        {
            tasks.UpdateSignalText(known, evidence);
            return IntakeResult.Updated;
        }

        var context = await ContextOfAsync(signal.ResidentId, ct);
        var effect = ContextRules.For(signal, context);
        if (effect.Suppress)
        {
            logger.LogInformation("Signal {SignalId} ({Kind}) suppressed: {Why}", signal.SignalId, signal.Kind, effect.Annotation);
            return IntakeResult.Ignored;
        }

        if (effect.Annotation is not null)
        {
            evidence = evidence with { Evidence = [effect.Annotation, .. evidence.Evidence] };
        }

        var route = SignalRouting.Decide(signal, consent);
        if (route.Kind is null || route.Role is null)
        {
            logger.LogInformation("Signal {SignalId} ({Kind}) not turned into a task: {Why}", signal.SignalId, signal.Kind, route.Why);
            return IntakeResult.Ignored;
        }

        if (tasks.FindActive(signal.ResidentId, route.Kind) is { } active)
        {
            tasks.AttachSignal(active.Id, evidence, route.Priority, clock.UtcNow);
            return IntakeResult.Added;
        }

        await CreateAsync(new OutreachTask
        {
            ResidentId = signal.ResidentId, Kind = route.Kind, Status = TaskStatuses.Open,
            Owner = caseload.PickOwner(signal.ResidentId, route.Role), OwnerRole = route.Role, Priority = route.Priority,
            Title = signal.Title, Reason = signal.Reason, Question = signal.Question,
            DueDate = route.Kind == TaskKinds.BelrondeCall ? clock.CallDay : clock.Today, CreatedAt = clock.UtcNow,
        }, evidence, ct);
        return IntakeResult.Created;
    }

    /// <summary>Creates a task (or adds the evidence to the active one of its kind) and notifies for meldingen.</summary>
    internal async Task<long> CreateAsync(OutreachTask task, TaskSignal? evidence, CancellationToken ct)
    {
        if (tasks.FindActive(task.ResidentId, task.Kind) is { } active)
        {
            if (evidence is not null)
            {
                tasks.AttachSignal(active.Id, evidence, task.Priority, clock.UtcNow);
            }
            else
            {
                tasks.AddNote(active.Id, clock.UtcNow, "systeem", "systeem", $"Opnieuw aangeleverd: {task.Reason}");
            }

            return active.Id;
        }

        task = task with { Owner = task.Owner ?? caseload.PickOwner(task.ResidentId, task.OwnerRole) };
        var id = tasks.Insert(task, evidence, "systeem");
        if (task.Kind == TaskKinds.UrgentMelding)
        {
            await NotifyAsync(tasks.Get(id)!, ct);
        }

        return id;
    }

    /// <summary>Every task has one owner: when that person leaves (deactivated), open tasks go to the next in the chain.</summary>
    private void ReassignFromInactiveOwners()
    {
        var active = users.List().Where(u => u.Active).Select(u => u.Username).ToHashSet();
        foreach (var task in tasks.List(activeOnly: true).Where(t => t.Owner is null || !active.Contains(t.Owner)))
        {
            var next = caseload.PickOwner(task.ResidentId, task.OwnerRole);
            if (next is not null && next != task.Owner)
            {
                tasks.Update(task.Id, "owner = $o, assigned_at = $at", [("$o", next), ("$at", clock.UtcNow.Iso())], clock.UtcNow, "systeem", "systeem",
                    $"Overgedragen aan {next}: {task.Owner ?? "niemand"} is niet meer beschikbaar.");
            }
        }
    }

    private async Task<int> EscalateOverdueAsync(CancellationToken ct)
    {
        var escalated = 0;
        var limit = TimeSpan.FromMinutes(options.Value.UrgentPickupMinutes);
        foreach (var melding in tasks.List(kind: TaskKinds.UrgentMelding, activeOnly: true).Where(t => t.Status == TaskStatuses.Open))
        {
            if (clock.UtcNow - melding.AssignedAt < limit)
            {
                continue;
            }

            var chain = caseload.Chain(melding.ResidentId, melding.OwnerRole);
            // After the last nurse (or sociaal werker) in the chain, a nurse's melding goes to the sociaal werkers.
            if (melding.OwnerRole == Roles.Wijkverpleegkundige)
            {
                chain = [.. chain, .. caseload.Chain(melding.ResidentId, Roles.SociaalWerker)];
            }

            var position = melding.Owner is null ? -1 : chain.ToList().IndexOf(melding.Owner);
            var next = chain.Skip(position + 1).FirstOrDefault();
            if (next is null)
            {
                logger.LogWarning("Melding {TaskId} not picked up and nobody left in the chain after {Owner}.", melding.Id, melding.Owner);
                continue;
            }

            var nextRole = caseload.Chain(melding.ResidentId, Roles.Wijkverpleegkundige).Contains(next) ? Roles.Wijkverpleegkundige : Roles.SociaalWerker;
            tasks.Update(melding.Id, "owner = $o, owner_role = $r, assigned_at = $at, notified_at = NULL",
                [("$o", next), ("$r", nextRole), ("$at", clock.UtcNow.Iso())], clock.UtcNow, "systeem", "systeem",
                $"Niet opgepakt binnen {options.Value.UrgentPickupMinutes} minuten door {melding.Owner ?? "niemand"}: doorgezet naar {next}.");
            await NotifyAsync(tasks.Get(melding.Id)!, ct);
            escalated++;
        }

        return escalated;
    }

    private async Task RetryNotificationsAsync(CancellationToken ct)
    {
        foreach (var melding in tasks.List(kind: TaskKinds.UrgentMelding, activeOnly: true).Where(t => t.NotifiedAt is null))
        {
            await NotifyAsync(melding, ct);
        }
    }

    private async Task NotifyAsync(OutreachTask melding, CancellationToken ct)
    {
        if (await notifier.NotifyAsync(melding, ct))
        {
            using var connection = database.File.Open();
            using var command = connection.Command("UPDATE tasks SET notified_at = $at WHERE id = $id", ("$at", clock.UtcNow.Iso()), ("$id", melding.Id));
            command.ExecuteNonQuery();
        }
    }

    private async Task<IReadOnlyList<HubContextPeriod>> ContextOfAsync(string residentId, CancellationToken ct)
    {
        try
        {
            return await hub.ContextAsync(residentId, ct);
        }
        catch (HubUnavailableException e)
        {
            // Without the calendar, the signal is taken as it is: better a call too many than a person missed.
            logger.LogWarning("Context of {Resident} unknown: {Error}", residentId, e.Message);
            return [];
        }
    }

    private static List<string> Explain(HubSignal signal)
    {
        var lines = new List<string>();
        if (!string.IsNullOrWhiteSpace(signal.TodayValue))
        {
            lines.Add($"Vandaag: {signal.TodayValue}");
        }

        if (!string.IsNullOrWhiteSpace(signal.NormalRange))
        {
            lines.Add($"Normaal: {signal.NormalRange}");
        }

        lines.AddRange(signal.Evidence);
        return lines;
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
