using System.Buffers;
using System.Net;
using System.Net.Sockets;
using MQTTnet.Channel;

namespace HomeSignal.Hub.Ingestion;

/// <summary>
/// The hub's connection to the broker, with one extra: while a <see cref="WriteBatch"/> is open, writes are gathered
/// and then sent as one. After each durable commit the hub settles hundreds of QoS 1 messages; one TCP write instead
/// of one per PUBACK saves a system call and a wake-up of the broker per event (a large part of the cost on loopback).
/// Everything else passes straight through. Bytes keep their order: every write, gathered or not, goes under one lock.
/// </summary>
public sealed class CoalescingStream(Stream inner, EndPoint? localEndPoint = null, EndPoint? remoteEndPoint = null) : Stream, IMqttClientStreamEndPoints
{
    /// <summary>Gathered bytes are sent early beyond this, so a huge batch never holds much memory.</summary>
    public const int MaxGatheredBytes = 64 * 1024;

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _gathered = new(4096);
    private readonly byte[] _readBuffer = new byte[64 * 1024];
    private int _readStart;
    private int _readEnd;
    private int _batches;

    public EndPoint? LocalEndPoint { get; } = localEndPoint;

    public EndPoint? RemoteEndPoint { get; } = remoteEndPoint;

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Starts gathering writes until the batch is sent (batches may overlap; the last one sends).</summary>
    public WriteBatch BeginBatch()
    {
        Interlocked.Increment(ref _batches);
        return new WriteBatch(this);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (Volatile.Read(ref _batches) > 0)
            {
                _gathered.Write(buffer.Span);
                if (_gathered.WrittenCount >= MaxGatheredBytes)
                {
                    await SendGatheredAsync(cancellationToken);
                }

                return;
            }

            if (_gathered.WrittenCount > 0)
            {
                // Left over by a batch whose sending was cancelled: they go first, so bytes never change order.
                await SendGatheredAsync(cancellationToken);
            }

            await inner.WriteAsync(buffer, cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <summary>
    /// MQTTnet reads each packet's header and body separately; reading ahead into a buffer takes everything the
    /// broker sent so far with one system call. One reader at a time (MQTTnet's receive loop), as for any stream.
    /// </summary>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_readStart == _readEnd)
        {
            if (buffer.Length >= _readBuffer.Length)
            {
                return await inner.ReadAsync(buffer, cancellationToken);
            }

            var read = await inner.ReadAsync(_readBuffer, cancellationToken);
            if (read == 0)
            {
                return 0;
            }

            _readStart = 0;
            _readEnd = read;
        }

        var count = Math.Min(buffer.Length, _readEnd - _readStart);
        _readBuffer.AsSpan(_readStart, count).CopyTo(buffer.Span);
        _readStart += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <summary>Nothing to flush while a batch is gathering; the batch sends.</summary>
    public override Task FlushAsync(CancellationToken cancellationToken) =>
        Volatile.Read(ref _batches) > 0 ? Task.CompletedTask : inner.FlushAsync(cancellationToken);

    public override void Flush()
    {
        if (Volatile.Read(ref _batches) == 0)
        {
            inner.Flush();
        }
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Ends one batch; when it was the last open one, sends what was gathered in one write.</summary>
    internal async ValueTask EndBatchAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Decrement(ref _batches) > 0)
        {
            return;
        }

        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            // A batch begun meanwhile keeps gathering; it sends when it ends.
            if (Volatile.Read(ref _batches) == 0 && _gathered.WrittenCount > 0)
            {
                await SendGatheredAsync(cancellationToken);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            _writeLock.Dispose();
        }

        base.Dispose(disposing);
    }

    private async ValueTask SendGatheredAsync(CancellationToken cancellationToken)
    {
        try
        {
            await inner.WriteAsync(_gathered.WrittenMemory, cancellationToken);
        }
        finally
        {
            // Sent, or the connection is broken (MQTTnet reconnects with a new stream): never send these bytes twice.
            _gathered.ResetWrittenCount();
        }
    }
}

/// <summary>An open batch of writes on a <see cref="CoalescingStream"/> (or nothing, when there is no connection).</summary>
public readonly struct WriteBatch(CoalescingStream? stream)
{
    /// <summary>Ends the batch and sends what it gathered. Call once.</summary>
    public ValueTask SendAsync(CancellationToken cancellationToken) => stream?.EndBatchAsync(cancellationToken) ?? ValueTask.CompletedTask;
}

/// <summary>
/// Opens the hub's TCP connections for MQTTnet (which layers TLS on top when configured) as <see cref="CoalescingStream"/>s,
/// and keeps the current one so the acknowledging stage can batch its writes. MQTTnet's own TCP settings (buffer sizes,
/// local endpoint, linger) do not apply to these sockets; the hub sets none of them.
/// </summary>
public sealed class CoalescingStreamProvider : IMqttClientStreamProvider
{
    private volatile CoalescingStream? _current;

    /// <summary>Starts a batch on the current connection (a no-op batch when there is none).</summary>
    public WriteBatch BeginBatch() => _current?.BeginBatch() ?? new WriteBatch(null);

    public async Task<Stream> ConnectAsync(EndPoint brokerEndPoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(brokerEndPoint);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(brokerEndPoint, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var stream = new CoalescingStream(new NetworkStream(socket, ownsSocket: true), socket.LocalEndPoint, socket.RemoteEndPoint);
        _current = stream;
        return stream;
    }
}
