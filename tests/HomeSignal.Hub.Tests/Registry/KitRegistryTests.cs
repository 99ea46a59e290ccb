using HomeSignal.Hub.Registry;
using HomeSignal.Hub.Tests.Support;

namespace HomeSignal.Hub.Tests.Registry;

public sealed class KitRegistryTests : IDisposable
{
    private readonly HubParts _parts = new();

    [Fact]
    public async Task Many_kits_registered_at_once_each_get_their_own_password_and_survive_a_restart()
    {
        var credentials = await _parts.Kits.CreateManyAsync(["kit-f1", "kit-f2", "kit-f3"], CancellationToken.None);

        Assert.Equal(3, credentials.Select(c => c.Password).Distinct().Count());
        var reloaded = new KitRegistry(_parts.Registry, _parts.Time, 100);
        Assert.All(credentials, c => Assert.NotNull(reloaded.Authenticate(c.Username, c.Password)));
        Assert.Null(reloaded.Authenticate("kit-f1", credentials[1].Password));
    }

    [Theory]
    [InlineData("kit+a")]
    [InlineData("kit#")]
    [InlineData("kit/a")]
    [InlineData("Kit-A")]
    public async Task Kit_ids_that_could_act_as_mqtt_wildcards_or_names_are_refused(string kitId)
    {
        var error = await Assert.ThrowsAsync<RegistryException>(() => _parts.Kits.CreateAsync(kitId, null, [], CancellationToken.None));
        Assert.Equal(RegistryError.Invalid, error.Error);
        await Assert.ThrowsAsync<RegistryException>(() => _parts.Kits.CreateManyAsync([kitId], CancellationToken.None));
    }

    [Fact]
    public void The_hub_account_may_not_contain_wildcards()
    {
        var errors = new HomeSignal.Hub.Broker.BrokerOptions { Mode = HomeSignal.Hub.Broker.BrokerMode.External, Username = "hub+", Password = "x" }.Validate();
        Assert.Contains(errors, e => e.Contains("Broker:Username", StringComparison.Ordinal));
    }

    public void Dispose() => _parts.Dispose();
}
