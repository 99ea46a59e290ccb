using HomeSignal.Hub.Storage.Influx;

namespace HomeSignal.Hub.Tests.Influx;

public sealed class InfluxSchemaTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_provenance_reads_back_as_the_boot_receive_time_and_clock_it_was_written_with(bool clockSynced)
    {
        var received = DateTimeOffset.FromUnixTimeMilliseconds(1_795_000_000_123);

        var text = InfluxSchema.Provenance("0123456789abcdef0123456789abcdef", received, clockSynced);

        Assert.True(InfluxSchema.TryParseProvenance(text, out var boot, out var at, out var synced));
        Assert.Equal(("0123456789abcdef0123456789abcdef", received, clockSynced), (boot, at, synced));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData(";1795000000123;synced")]
    [InlineData("boot;;synced")]
    [InlineData("boot;-5;synced")]
    [InlineData("boot;1e9;synced")]
    [InlineData("boot;99999999999999999999;synced")]
    [InlineData("boot;1795000000123;yes")]
    [InlineData("boot;1795000000123;synced;extra")]
    public void A_damaged_provenance_is_refused_not_guessed(string text) =>
        Assert.False(InfluxSchema.TryParseProvenance(text, out _, out _, out _));
}
