using HomeSignal.Contracts.Topics;

namespace HomeSignal.Contracts.Tests;

public class TopicTests
{
    [Theory]
    [InlineData(KitChannel.Events, "homesignal/v1/kits/kit-7f3a9c/events")]
    [InlineData(KitChannel.Status, "homesignal/v1/kits/kit-7f3a9c/status")]
    [InlineData(KitChannel.Heartbeat, "homesignal/v1/kits/kit-7f3a9c/heartbeat")]
    [InlineData(KitChannel.Acks, "homesignal/v1/kits/kit-7f3a9c/acks")]
    [InlineData(KitChannel.Config, "homesignal/v1/kits/kit-7f3a9c/config")]
    [InlineData(KitChannel.Commands, "homesignal/v1/kits/kit-7f3a9c/commands")]
    public void Every_channel_has_a_versioned_topic_that_parses_back(KitChannel channel, string expected)
    {
        var topic = KitTopics.For("kit-7f3a9c", channel);

        Assert.Equal(expected, topic);
        Assert.True(KitTopics.TryParse(topic, out var kitId, out var parsed));
        Assert.Equal("kit-7f3a9c", kitId);
        Assert.Equal(channel, parsed);
    }

    [Theory]
    [InlineData("homesignal/v1/kits/+/events")]
    [InlineData("homesignal/v1/kits/#")]
    [InlineData("homesignal/v1/kits/kit-7f3a9c/events/extra")]
    [InlineData("homesignal/v1/kits/kit-7f3a9c/unknown")]
    [InlineData("homesignal/v2/kits/kit-7f3a9c/events")]
    [InlineData("homesignal/v1/kits//events")]
    [InlineData("homesignal/v1/kits/Mevrouw Jansen/events")]
    [InlineData("")]
    public void Topics_outside_the_tree_or_with_wildcards_do_not_parse(string topic)
    {
        Assert.False(KitTopics.TryParse(topic, out _, out _));
    }

    [Fact]
    public void Hubs_share_the_event_load_through_an_mqtt5_shared_subscription()
    {
        Assert.Equal("$share/hubs/homesignal/v1/kits/+/events", KitTopics.SharedAllKits(KitChannel.Events));
    }

    [Theory]
    [InlineData("kit-01", true)]
    [InlineData("k1", false)]
    [InlineData("-kit", false)]
    [InlineData("kit+1", false)]
    [InlineData("kit#", false)]
    [InlineData("kit/1", false)]
    public void Kit_ids_are_short_lower_case_tokens_without_wildcards(string id, bool valid)
    {
        Assert.Equal(valid, KitId.IsValid(id));
    }
}
