using System.Globalization;
using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Audit;
using HomeSignal.Dashboard.Hub;
using HomeSignal.Dashboard.Storage;

namespace HomeSignal.Dashboard.Outreach;

/// <summary>A person's action on a task was refused; the message is Dutch and may be shown.</summary>
public sealed class TaskActionException(string message) : Exception(message);

/// <summary>
/// What people do with tasks: pick up, record an outcome, close, add a note. Checks per object who may act, audits every
/// action, turns outcomes into labels for detection, and escalates an unanswered call when there was no movement.
/// </summary>
public sealed class TaskActions(TaskStore tasks, OutreachPlanner planner, LabelOutbox labels, HubClient hub, Caseload caseload, AuditLog audit,
    LocalClock clock, ILogger<TaskActions> logger)
{
    /// <summary>
    /// Who may see and act on a task: its owner, always (so a task given to a sociaal werker for a resident outside their
    /// caseload can still be done, showing only that task); a sociaal werker the tasks of the residents they are the vast
    /// aanspreekpunt of (<paramref name="caseload"/>), and a task for sociaal werkers that nobody owns yet; a nurse any
    /// melding for nurses (nurses are scoped by consent, not by caseload).
    /// </summary>
    public static bool MayAct(string user, string role, OutreachTask task, IReadOnlySet<string> caseload) => role switch
    {
        Roles.SociaalWerker => task.Owner == user || caseload.Contains(task.ResidentId) || (task.Owner is null && task.OwnerRole == Roles.SociaalWerker),
        Roles.Wijkverpleegkundige => task.Owner == user || (task.Kind == TaskKinds.UrgentMelding && task.OwnerRole == Roles.Wijkverpleegkundige),
        Roles.Installateur => task.Kind == TaskKinds.KitMaintenance,
        Roles.Vrijwilliger => task.Owner == user && task.Kind == TaskKinds.BelrondeCall,
        _ => false,
    };

    /// <summary>The test of <see cref="MayAct(string, string, OutreachTask, IReadOnlySet{string})"/> for one user, with their caseload read once (for lists).</summary>
    public Func<OutreachTask, bool> MayActOn(string user, string role)
    {
        IReadOnlySet<string> mine = role == Roles.SociaalWerker ? caseload.ResidentsOf(user, Roles.SociaalWerker) : new HashSet<string>();
        return task => MayAct(user, role, task, mine);
    }

    public OutreachTask Require(long id, string user, string role)
    {
        var task = tasks.Get(id) ?? throw new TaskActionException("Deze taak bestaat niet.");
        return MayActOn(user, role)(task) ? task : throw new UnauthorizedAccessException($"{user} may not act on task {id}.");
    }

    public void PickUp(long id, string user, string role)
    {
        var task = Require(id, user, role);
        if (task.Status != TaskStatuses.Open)
        {
            throw new TaskActionException("Deze taak is al opgepakt of afgehandeld.");
        }

        tasks.Update(id, "status = 'picked-up', picked_up_at = $at, owner = $o", [("$at", clock.UtcNow.Iso()), ("$o", user)],
            clock.UtcNow, user, role, $"Opgepakt door {user}.");
        audit.Record(user, role, "taak opgepakt", task.ResidentId, $"taak {id}");
    }

    /// <returns>The id of a follow-up task (an escalation), if one was made.</returns>
    public async Task<long?> RecordOutcomeAsync(long id, string user, string role, string outcome, string? reasonCode, string? note, CancellationToken ct = default)
    {
        var task = Require(id, user, role);
        if (!Outcomes.All.Contains(outcome))
        {
            throw new TaskActionException("Kies een uitkomst uit de lijst.");
        }

        if (!TaskStatuses.IsActive(task.Status))
        {
            throw new TaskActionException("Voor deze taak is de uitkomst al vastgelegd.");
        }

        string? reasonText = null;
        if (outcome == Outcomes.OnterechtSignaal)
        {
            if (reasonCode is null || !Outcomes.FalseSignalReasons.TryGetValue(reasonCode, out var reason))
            {
                throw new TaskActionException("Geef bij 'onterecht signaal' een reden op.");
            }

            reasonText = reason.Dutch;
        }

        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim()[..Math.Min(note.Trim().Length, 2000)];
        var now = clock.UtcNow;
        tasks.Update(id, "status = 'outcome-recorded', outcome = $o, outcome_reason = $r, outcome_at = $at, outcome_by = $b, picked_up_at = COALESCE(picked_up_at, $at)",
            [("$o", outcome), ("$r", reasonText), ("$at", now.Iso()), ("$b", user)], now, user, role,
            $"Uitkomst: {Dutch.Outcome(outcome)}{(reasonText is null ? "" : $" ({reasonText})")}.");
        if (note is not null)
        {
            tasks.AddNote(id, now, user, role, note);
        }

        audit.Record(user, role, "uitkomst vastgelegd", task.ResidentId, $"taak {id}: {outcome}");

        long? followUp = null;
        var movedSinceMorning = true;
        if (outcome == Outcomes.NietOpgenomen && task.Kind == TaskKinds.BelrondeCall)
        {
            movedSinceMorning = await MovedSinceMorningAsync(task.ResidentId, ct);
            if (!movedSinceMorning)
            {
                followUp = await EscalateAsync(task, user, role,
                    $"Niet opgenomen bij de belronde om {clock.Now:HH:mm} en sinds vanochtend geen beweging gezien.",
                    "Kunt u zo snel mogelijk contact opnemen of even langsgaan?", ct);
            }
        }
        else if (outcome == Outcomes.ZorgNodig && task.Kind == TaskKinds.BelrondeCall)
        {
            followUp = await EscalateAsync(task, user, role, "Bij de belronde is zorg nodig gebleken.", "Kunt u contact opnemen en kijken wat nodig is?", ct);
        }

        var label = LabelFor(outcome, reasonCode, movedSinceMorning);
        foreach (var signal in tasks.Signals(id))
        {
            labels.Enqueue(task.ResidentId, signal.SignalId, label, reasonText ?? Dutch.Outcome(outcome), user);
        }

        await labels.FlushAsync(ct);
        return followUp;
    }

    public void Close(long id, string user, string role)
    {
        var task = Require(id, user, role);
        if (task.Status == TaskStatuses.Closed)
        {
            return;
        }

        if (task.Status != TaskStatuses.OutcomeRecorded)
        {
            throw new TaskActionException("Leg eerst een uitkomst vast.");
        }

        tasks.Update(id, "status = 'closed', closed_at = $at", [("$at", clock.UtcNow.Iso())], clock.UtcNow, user, role, "Afgehandeld.");
        audit.Record(user, role, "taak afgehandeld", task.ResidentId, $"taak {id}");
    }

    /// <summary>A sociaal werker (coördinator) gives a task to someone else who holds the task's role.</summary>
    public void Reassign(long id, string user, string role, string newOwner, UserStore users)
    {
        var task = Require(id, user, role);
        if (role != Roles.SociaalWerker)
        {
            throw new UnauthorizedAccessException($"{user} may not reassign task {id}.");
        }

        var target = users.Find(newOwner);
        if (target is null || !target.Active || target.Role != task.OwnerRole)
        {
            throw new TaskActionException($"Kies een actieve {Roles.Dutch(task.OwnerRole)}.");
        }

        tasks.Update(id, "owner = $o, assigned_at = $at", [("$o", target.Username), ("$at", clock.UtcNow.Iso())], clock.UtcNow, user, role,
            $"Toegewezen aan {target.Username}.");
        audit.Record(user, role, "taak toegewezen", task.ResidentId, $"taak {id} -> {target.Username}");
    }

    public void AddNote(long id, string user, string role, string text)
    {
        var task = Require(id, user, role);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new TaskActionException("Een notitie mag niet leeg zijn.");
        }

        tasks.AddNote(id, clock.UtcNow, user, role, text.Trim()[..Math.Min(text.Trim().Length, 2000)]);
        audit.Record(user, role, "notitie toegevoegd", task.ResidentId, $"taak {id}");
    }

    /// <summary>Label for detection: a worry confirmed is relevant; "onterecht" says why; an unanswered call is relevant only when it escalated.</summary>
    public static string LabelFor(string outcome, string? reasonCode, bool movedSinceMorning) => outcome switch
    {
        Outcomes.ZorgNodig => "relevant",
        Outcomes.NietOpgenomen => movedSinceMorning ? "explained-other" : "relevant",
        Outcomes.NietThuis => "explained-holiday",
        Outcomes.OnterechtSignaal => Outcomes.FalseSignalReasons.TryGetValue(reasonCode ?? "", out var r) ? r.Label : "not-relevant",
        _ => "not-relevant",
    };

    private async Task<bool> MovedSinceMorningAsync(string residentId, CancellationToken ct)
    {
        var from = clock.At(clock.Today, clock.Belronde.Morning);
        try
        {
            var hours = await hub.AggregatesAsync(residentId, "hour", from, clock.UtcNow, ct);
            return hours.Sum(h => (h.Motion ?? 0) + (h.DoorOpenings ?? 0)) > 0;
        }
        catch (HubUnavailableException e)
        {
            // Silence is not reassurance: when we cannot tell, we escalate.
            logger.LogWarning("Movement for {Resident} unknown, escalating: {Error}", residentId, e.Message);
            return false;
        }
    }

    private async Task<long> EscalateAsync(OutreachTask call, string user, string actorRole, string reason, string question, CancellationToken ct)
    {
        HubConsent consent;
        try
        {
            consent = await hub.ConsentAsync(call.ResidentId, ct);
        }
        catch (HubUnavailableException)
        {
            consent = HubConsent.None;
        }

        var role = SignalRouting.MeldingRole(consent);
        var melding = await planner.CreateAsync(new OutreachTask
        {
            ResidentId = call.ResidentId, Kind = TaskKinds.UrgentMelding, Status = TaskStatuses.Open,
            Owner = null, OwnerRole = role, Priority = SignalRouting.PriorityUrgent,
            Title = "Belronde: geen contact", Reason = reason, Question = question, DueDate = clock.Today,
            CreatedAt = clock.UtcNow, FromTaskId = call.Id,
        }, null, ct);
        audit.Record(user, actorRole, "geëscaleerd", call.ResidentId, $"taak {call.Id} -> melding {melding.ToString(CultureInfo.InvariantCulture)}");
        return melding;
    }
}
