using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using HomeSignal.Hub.Registry;
using HomeSignal.Hub.Security;
using Microsoft.Extensions.Options;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace HomeSignal.Hub.Broker;

/// <summary>
/// The MQTTnet server the hub runs by default. Every client authenticates: the hub with its start-time secret, each kit
/// with its own credentials from the registry. Kits may only publish and subscribe on their own topics.
/// With <c>Tls:Enabled</c> kits connect to a TLS endpoint and need BOTH a client certificate from the hub CA made for
/// them (CN = kit id) and their password; the plain endpoint then listens on 127.0.0.1 for the hub's own client only.
/// </summary>
public sealed class EmbeddedBroker(
    IOptions<BrokerOptions> options,
    IOptions<TlsOptions> tlsOptions,
    IServiceProvider services,
    BrokerEndpoint endpoint,
    KitRegistry kits,
    ILogger<EmbeddedBroker> logger) : IHostedService, IDisposable
{
    private const string RoleKey = "homesignal-role";
    private const string HubRole = "hub";

    private readonly ConcurrentDictionary<string, string> _kitByClientId = new(StringComparer.Ordinal);
    private MqttServer? _server;
    private CertificateAuthority? _ca;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (o.Mode != BrokerMode.Embedded)
        {
            return;
        }

        var address = IPAddress.Parse(o.Host);
        var port = o.Port == 0 ? FreePort(address) : o.Port;
        var factory = new MqttServerFactory();
        var builder = factory.CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithConnectionBacklog(o.ConnectionBacklog)
            .WithPersistentSessions();
        int? localPort = null;
        if (tlsOptions.Value.Enabled)
        {
            _ca = services.GetRequiredService<CertificateAuthority>();
            localPort = o.LocalPort == 0 ? FreePort(IPAddress.Loopback) : o.LocalPort;

            // The plain endpoint stays on loopback (both IP versions) for the hub's own client; kits are refused there.
            builder.WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
                .WithDefaultEndpointBoundIPV6Address(IPAddress.IPv6Loopback)
                .WithDefaultEndpointPort(localPort.Value)
                .WithEncryptedEndpoint()
                .WithEncryptedEndpointBoundIPAddress(address)
                .WithEncryptedEndpointPort(port)
                .WithEncryptionCertificate(_ca.ServerCertificate)
                .WithEncryptionSslProtocol(SslProtocols.Tls12 | SslProtocols.Tls13)
                .WithClientCertificate(ValidateClientCertificate);
        }
        else
        {
            builder.WithDefaultEndpointBoundIPAddress(address).WithDefaultEndpointPort(port);
        }

        _server = factory.CreateMqttServer(builder.Build());
        _server.ValidatingConnectionAsync += ValidateConnectionAsync;
        _server.InterceptingPublishAsync += InterceptPublishAsync;
        _server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
        _server.ClientDisconnectedAsync += e =>
        {
            _kitByClientId.TryRemove(e.ClientId, out _);
            return Task.CompletedTask;
        };
        await _server.StartAsync();
        if (localPort is { } local)
        {
            endpoint.Host = IPAddress.Loopback.ToString();
            endpoint.Port = local;
            endpoint.KitPort = port;
            logger.LogInformation("Embedded MQTT broker listening with TLS on {Address}:{Port} (kits: client certificate from the hub CA and password) and for the hub only on 127.0.0.1:{LocalPort}.", address, port, local);
        }
        else
        {
            endpoint.Port = port;
            logger.LogInformation("Embedded MQTT broker listening on {Address}:{Port}.", address, port);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync();
        }
    }

    public void Dispose() => _server?.Dispose();

    /// <summary>Decides a CONNECT: the hub's own account, or a registered kit that is not revoked. Anonymous is refused.</summary>
    internal MqttConnectReasonCode Authenticate(string? username, string? password, out string? role)
    {
        role = null;
        if (string.IsNullOrEmpty(username))
        {
            return MqttConnectReasonCode.NotAuthorized;
        }

        if (string.Equals(username, endpoint.Username, StringComparison.Ordinal))
        {
            if (System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                    System.Text.Encoding.UTF8.GetBytes(password ?? string.Empty), System.Text.Encoding.UTF8.GetBytes(endpoint.Password)))
            {
                role = HubRole;
                return MqttConnectReasonCode.Success;
            }

            return MqttConnectReasonCode.BadUserNameOrPassword;
        }

        var kit = kits.Authenticate(username, password);
        if (kit is null)
        {
            return MqttConnectReasonCode.BadUserNameOrPassword;
        }

        role = kit.KitId;
        return MqttConnectReasonCode.Success;
    }

    /// <summary>
    /// With TLS a kit must come over the TLS endpoint with a client certificate the hub CA made for this very kit (the
    /// TLS handshake already checked the chain); the password still decides, so revocation works as without TLS.
    /// </summary>
    internal MqttConnectReasonCode CheckKitCertificate(string kitId, bool isSecureConnection, X509Certificate2? certificate)
    {
        if (_ca is null)
        {
            return MqttConnectReasonCode.Success;
        }

        if (!isSecureConnection || certificate is null)
        {
            return MqttConnectReasonCode.NotAuthorized;
        }

        var name = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        return string.Equals(name, kitId, StringComparison.Ordinal) && _ca.Validates(certificate, CertificateAuthority.ClientAuthentication, out _)
            ? MqttConnectReasonCode.Success
            : MqttConnectReasonCode.NotAuthorized;
    }

    private bool ValidateClientCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || _ca is null)
        {
            logger.LogWarning("Refused a TLS client without a client certificate.");
            return false;
        }

        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (_ca.Validates(presented, CertificateAuthority.ClientAuthentication, out var problem))
        {
            return true;
        }

        logger.LogWarning("Refused a TLS client certificate {Subject} (issuer {Issuer}): {Problem}.", presented.Subject, presented.Issuer, problem);
        return false;
    }

    private Task ValidateConnectionAsync(ValidatingConnectionEventArgs e)
    {
        var code = Authenticate(e.UserName, e.Password, out var role);
        if (code == MqttConnectReasonCode.Success && role != HubRole)
        {
            code = CheckKitCertificate(role!, e.IsSecureConnection, e.ClientCertificate);
        }

        e.ReasonCode = code;
        if (code == MqttConnectReasonCode.Success)
        {
            e.SessionItems[RoleKey] = role!;
            if (role != HubRole)
            {
                _kitByClientId[e.ClientId] = role!;
            }
        }
        else
        {
            logger.LogWarning("Refused MQTT connection of client {ClientId} (user {User}): {Code}.", e.ClientId, e.UserName ?? "(anonymous)", code);
        }

        return Task.CompletedTask;
    }

    private Task InterceptPublishAsync(InterceptingPublishEventArgs e)
    {
        var role = e.SessionItems[RoleKey] as string;
        if (role == HubRole || e.ClientId is null)
        {
            // The hub's own client, and messages the server injects itself, are trusted.
            return Task.CompletedTask;
        }

        var allowed = role is not null
            && kits.Find(role) is { IsRevoked: false }
            && KitAccessRules.MayPublish(role, e.ApplicationMessage.Topic);
        if (!allowed)
        {
            e.ProcessPublish = false;
            e.Response.ReasonCode = MqttPubAckReasonCode.NotAuthorized;
            logger.LogWarning("Refused publish by kit {Kit} on {Topic}: not its own topic.", role, e.ApplicationMessage.Topic);
        }

        return Task.CompletedTask;
    }

    private Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs e)
    {
        var role = e.SessionItems[RoleKey] as string;
        if (role == HubRole)
        {
            return Task.CompletedTask;
        }

        if (role is null || !KitAccessRules.MaySubscribe(role, e.TopicFilter.Topic))
        {
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            logger.LogWarning("Refused subscription by kit {Kit} to {Filter}.", role, e.TopicFilter.Topic);
        }

        return Task.CompletedTask;
    }

    /// <summary>Closes the sessions of kits that are revoked (or gone), so a revocation takes effect at once.</summary>
    public async Task DisconnectRevokedKitsAsync()
    {
        if (_server is not { IsStarted: true })
        {
            return;
        }

        var revoked = _kitByClientId.Where(p => kits.Find(p.Value) is not { IsRevoked: false }).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        if (revoked.Count == 0)
        {
            return;
        }

        foreach (var client in (await _server.GetClientsAsync()).Where(c => revoked.Contains(c.Id)))
        {
            try
            {
                await client.DisconnectAsync(new MqttServerClientDisconnectOptions { ReasonCode = MqttDisconnectReasonCode.NotAuthorized });
            }
            catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException or IOException)
            {
                logger.LogWarning(ex, "Could not disconnect revoked client {ClientId}.", client.Id);
            }
        }
    }

    private static int FreePort(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
