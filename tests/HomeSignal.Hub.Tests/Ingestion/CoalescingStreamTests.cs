using System.Net;
using System.Net.Sockets;
using HomeSignal.Hub.Ingestion;
using HomeSignal.Hub.Tests.Support;

namespace HomeSignal.Hub.Tests.Ingestion;

public sealed class CoalescingStreamTests
{
    [Fact]
    public async Task Writes_outside_a_batch_go_straight_through_one_by_one()
    {
        var inner = new RecordingStream();
        await using var stream = new CoalescingStream(inner);

        await stream.WriteAsync(new byte[] { 1, 2 });
        await stream.WriteAsync(new byte[] { 3 });

        Assert.Equal([[1, 2], [3]], inner.Writes);
    }

    [Fact]
    public async Task Writes_in_a_batch_wait_for_it_and_then_leave_as_one_write_in_their_order()
    {
        var inner = new RecordingStream();
        await using var stream = new CoalescingStream(inner);

        var batch = stream.BeginBatch();
        await stream.WriteAsync(new byte[] { 1, 2 });
        await stream.FlushAsync();
        await stream.WriteAsync(new byte[] { 3 });
        Assert.Empty(inner.Writes);

        await batch.SendAsync(CancellationToken.None);
        await stream.WriteAsync(new byte[] { 4 });

        Assert.Equal([[1, 2, 3], [4]], inner.Writes);
    }

    [Fact]
    public async Task Overlapping_batches_send_once_when_the_last_one_ends()
    {
        var inner = new RecordingStream();
        await using var stream = new CoalescingStream(inner);

        var first = stream.BeginBatch();
        await stream.WriteAsync(new byte[] { 1 });
        var second = stream.BeginBatch();
        await stream.WriteAsync(new byte[] { 2 });
        await first.SendAsync(CancellationToken.None);
        Assert.Empty(inner.Writes);
        await stream.WriteAsync(new byte[] { 3 });
        await second.SendAsync(CancellationToken.None);

        Assert.Equal([[1, 2, 3]], inner.Writes);
    }

    [Fact]
    public async Task A_large_batch_is_sent_in_parts_and_nothing_is_lost_or_reordered()
    {
        var inner = new RecordingStream();
        await using var stream = new CoalescingStream(inner);
        var packet = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();

        var batch = stream.BeginBatch();
        for (var i = 0; i < 200; i++)
        {
            await stream.WriteAsync(packet);
        }

        Assert.NotEmpty(inner.Writes);
        Assert.All(inner.Writes, w => Assert.True(w.Length <= CoalescingStream.MaxGatheredBytes + packet.Length));
        await batch.SendAsync(CancellationToken.None);

        Assert.Equal(Enumerable.Repeat(packet, 200).SelectMany(p => p), inner.Writes.SelectMany(w => w));
        Assert.True(inner.Writes.Count < 10, $"{inner.Writes.Count} writes for 200 packets");
    }

    [Fact]
    public async Task A_batch_whose_send_fails_reports_it_and_never_sends_those_bytes_later()
    {
        var inner = new RecordingStream { FailWrites = true };
        await using var stream = new CoalescingStream(inner);

        var batch = stream.BeginBatch();
        await stream.WriteAsync(new byte[] { 1 });
        await Assert.ThrowsAsync<IOException>(() => batch.SendAsync(CancellationToken.None).AsTask());

        inner.FailWrites = false;
        await stream.WriteAsync(new byte[] { 2 });
        Assert.Equal([[2]], inner.Writes);
    }

    [Fact]
    public async Task Bytes_of_a_batch_whose_sending_was_cancelled_go_out_before_the_next_write()
    {
        var inner = new RecordingStream();
        await using var stream = new CoalescingStream(inner);

        var batch = stream.BeginBatch();
        await stream.WriteAsync(new byte[] { 1 });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => batch.SendAsync(new CancellationToken(canceled: true)).AsTask());
        Assert.Empty(inner.Writes);
        await stream.WriteAsync(new byte[] { 2 });

        Assert.Equal([1, 2], inner.Writes.SelectMany(w => w));
    }

    [Fact]
    public async Task Small_reads_are_served_from_one_read_ahead_of_the_connection()
    {
        var inner = new RecordingStream();
        inner.Incoming.Enqueue([1, 2, 3, 4, 5]);
        inner.Incoming.Enqueue([6]);
        await using var stream = new CoalescingStream(inner);

        var buffer = new byte[2];
        var read = new List<byte>();
        while (read.Count < 6)
        {
            var n = await stream.ReadAsync(buffer);
            Assert.InRange(n, 1, 2);
            read.AddRange(buffer.AsSpan(0, n).ToArray());
        }

        Assert.Equal([1, 2, 3, 4, 5, 6], read);
        Assert.Equal(2, inner.Reads);
        Assert.Equal(0, await stream.ReadAsync(buffer));
    }

    [Fact]
    public async Task The_provider_connects_over_tcp_and_batches_on_its_current_connection()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var provider = new CoalescingStreamProvider();
        await provider.BeginBatch().SendAsync(CancellationToken.None);

        var accepting = listener.AcceptTcpClientAsync();
        await using var stream = await provider.ConnectAsync(new IPEndPoint(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port), CancellationToken.None);
        using var server = await accepting;
        var batch = provider.BeginBatch();
        await stream.WriteAsync(new byte[] { 7, 8 });
        await stream.WriteAsync(new byte[] { 9 });
        await batch.SendAsync(CancellationToken.None);

        var received = new byte[3];
        await server.GetStream().ReadExactlyAsync(received);
        Assert.Equal([7, 8, 9], received);
        Assert.NotNull(((CoalescingStream)stream).RemoteEndPoint);
    }
}
