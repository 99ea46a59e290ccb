using HomeSignal.Hub.Health;
using HomeSignal.Hub.Ingestion;
using HomeSignal.Hub.Registry;
using HomeSignal.Hub.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HomeSignal.Hub.Tests.Support;

/// <summary>The hub's plain classes wired by hand over real SQLite files in a temp dir, for tests that need no broker.</summary>
public sealed class HubParts : IDisposable
{
    public HubParts(DateTimeOffset? now = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("hs-parts-").FullName;
        Time = new FakeTimeProvider(now ?? new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        Registry = new RegistryDatabase(Path.Combine(Directory, "registry.db"));
        Store = new SqliteEventStore(Path.Combine(Directory, "events.db"));
        Kits = new KitRegistry(Registry, Time, 100);
        Residents = new ResidentRegistry(Registry, Kits, Time);
        Health = new KitHealthTracker(Kits, Options.Create(HealthOptions));
        Gate = new EventGate(Options.Create(IngestionOptions), Kits, Health, Stats, NullLogger<EventGate>.Instance);
    }

    public string Directory { get; }

    public FakeTimeProvider Time { get; }

    public RegistryDatabase Registry { get; }

    public SqliteEventStore Store { get; }

    public KitRegistry Kits { get; }

    public ResidentRegistry Residents { get; }

    public HealthOptions HealthOptions { get; } = new();

    public IngestionOptions IngestionOptions { get; } = new();

    public KitHealthTracker Health { get; }

    public IngestStats Stats { get; } = new();

    public EventGate Gate { get; }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Leftover temp files never fail a test.
        }
    }
}
