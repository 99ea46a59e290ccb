using HomeSignal.Hub.Storage.Influx;

namespace HomeSignal.Hub.Tests.Influx;

public sealed class InfluxOptionsTests
{
    private static IEnumerable<string> Errors(Action<InfluxOptions> change)
    {
        var options = new InfluxOptions();
        change(options);
        return new InfluxOptionsValidator().Validate(null, options).Failures ?? [];
    }

    [Fact]
    public void The_defaults_are_valid() => Assert.Empty(Errors(_ => { }));

    [Theory]
    [InlineData("http://influx.example.org:8086", "Storage:Influx:Url host 'influx.example.org' is not in Storage:Influx:AllowedHosts")]
    [InlineData("ftp://127.0.0.1/", "Storage:Influx:Url must be an absolute http or https URL")]
    public void A_url_elsewhere_than_allowed_is_refused_naming_the_key(string url, string expected) =>
        Assert.Contains(Errors(o => o.Url = new Uri(url)), e => e.StartsWith(expected, StringComparison.Ordinal));

    [Fact]
    public void An_allowed_remote_host_is_accepted() =>
        Assert.Empty(Errors(o =>
        {
            o.Url = new Uri("https://influx.example.org:8086");
            o.AllowedHosts.Add("influx.example.org");
        }));

    [Fact]
    public void Bad_names_sizes_and_retention_are_refused_naming_each_key()
    {
        var errors = Errors(o =>
        {
            o.Database = "drop; database";
            o.BatchSize = 0;
            o.RawRetention = TimeSpan.FromMinutes(30);
            o.AggregateRetention = TimeSpan.FromMinutes(10);
            o.Writers = 0;
        }).ToList();

        foreach (var key in new[] { "Database", "BatchSize", "RawRetention", "AggregateRetention", "Writers" })
        {
            Assert.Contains(errors, e => e.StartsWith("Storage:Influx:" + key, StringComparison.Ordinal));
        }
    }
}
