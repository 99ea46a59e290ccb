using System.Net;
using System.Net.Sockets;

namespace HomeSignal.Testing.Servers;

/// <summary>Finds a free TCP port on 127.0.0.1 (the OS picks it; a short race remains, so servers retry on a new port).</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
