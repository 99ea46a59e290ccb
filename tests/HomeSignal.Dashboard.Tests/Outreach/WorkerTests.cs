using HomeSignal.Dashboard.Outreach;
using HomeSignal.Dashboard.Storage;
using HomeSignal.Dashboard.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HomeSignal.Dashboard.Tests.Outreach;

public class WorkerTests
{
    private static async Task<bool> EventuallyAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return condition();
    }

    [Fact]
    public async Task The_worker_reads_new_signals_each_time_the_poll_interval_passes_on_the_clock()
    {
        await using var host = await DashboardHost.StartAsync(morningSignals: false, worker: true);
        var database = host.App.Services.GetRequiredService<DashboardDatabase>();
        // The first run happens at start; once it is through, a new signal waits for the next tick of the (fake) clock.
        Assert.True(await EventuallyAsync(() => database.GetMeta(OutreachPlanner.PreparedKey) is not null));
        host.Hub.AddSignal(HubSeed.Signal($"{HubSeed.Bakker}:inactivity:9", HubSeed.Bakker, "inactivity", "urgent", "acute",
            HubSeed.Morning, "Lang geen beweging", "Al langer dan gewoonlijk geen beweging in huis.", "Kunt u even langsgaan?", null, null));

        host.Time.Advance(TimeSpan.FromSeconds(30));

        Assert.True(await EventuallyAsync(() => host.Tasks.FindActive(HubSeed.Bakker, TaskKinds.UrgentMelding) is { Owner: "dirk" }));
        // Visser was put on the daily round after the start run; the next run still puts her on today's list.
        Assert.True(await EventuallyAsync(() => host.Tasks.FindActive(HubSeed.Visser, TaskKinds.BelrondeCall) is { Owner: "anna" }));
    }
}
