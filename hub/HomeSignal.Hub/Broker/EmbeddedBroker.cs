using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using HomeSignal.Hub.Registry;
using Microsoft.Extensions.Options;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace HomeSignal.Hub.Broker;

/// <summary>
/// The MQTTnet server the hub runs by default. Every client authenticates: the hub with its start-time secret, each kit
/// with its own credentials from the registry. Kits may only publish and subscribe on their own topics.
/// </summary>
public sealed class EmbeddedBroker(
    IOptions<BrokerOptions> options,
    BrokerEndpoint endpoint,
    KitRegistry kits,
    ILogger<EmbeddedBroker> logger,
    IEnumerable<IBrokerClientAccount>? accounts = null) : IHostedService, IDisposable
{
    private const string RoleKey = "homesignal-role";
    private const string HubRole = "hub";
    private const string AccountRolePrefix = "account:";

    private readonly IReadOnlyList<IBrokerClientAccount> _accounts = [.. (accounts ?? []).Where(a => !string.IsNullOrEmpty(a.Username))];

    private readonly ConcurrentDictionary<string, string> _kitByClientId = new(StringComparer.Ordinal);
    private MqttServer? _server;

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
        var serverOptions = factory.CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(address)
            .WithDefaultEndpointPort(port)
            .WithConnectionBacklog(o.ConnectionBacklog)
            .WithPersistentSessions()
            .Build();
        _server = factory.CreateMqttServer(serverOptions);
        _server.ValidatingConnectionAsync += ValidateConnectionAsync;
        _server.InterceptingPublishAsync += InterceptPublishAsync;
        _server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
        _server.ClientDisconnectedAsync += e =>
        {
            _kitByClientId.TryRemove(e.ClientId, out _);
            return Task.CompletedTask;
        };
        await _server.StartAsync();
        endpoint.Port = port;
        logger.LogInformation("Embedded MQTT broker listening on {Address}:{Port}.", address, port);
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

        if (Account(username) is { } account)
        {
            // Other clients (a zigbee2mqtt bridge) have their own account and topic rules.
            if (!Registry.PasswordHash.Verify(password, account.PasswordHash))
            {
                return MqttConnectReasonCode.BadUserNameOrPassword;
            }

            role = AccountRolePrefix + account.Username;
            return MqttConnectReasonCode.Success;
        }

        var kit = kits.Authenticate(username, password);
        if (kit is null)
        {
            return MqttConnectReasonCode.BadUserNameOrPassword;
        }

        role = kit.KitId;
        return MqttConnectReasonCode.Success;
    }

    private Task ValidateConnectionAsync(ValidatingConnectionEventArgs e)
    {
        var code = Authenticate(e.UserName, e.Password, out var role);
        e.ReasonCode = code;
        if (code == MqttConnectReasonCode.Success)
        {
            e.SessionItems[RoleKey] = role!;
            if (role != HubRole && !role!.StartsWith(AccountRolePrefix, StringComparison.Ordinal))
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

        var allowed = role is not null && AccountOf(role) is { } account ? account.MayPublish(e.ApplicationMessage.Topic)
            : role is not null
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

        var allowed = role is not null && AccountOf(role) is { } account ? account.MaySubscribe(e.TopicFilter.Topic)
            : role is not null && KitAccessRules.MaySubscribe(role, e.TopicFilter.Topic);
        if (!allowed)
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

    private IBrokerClientAccount? Account(string username) =>
        _accounts.FirstOrDefault(a => string.Equals(a.Username, username, StringComparison.Ordinal));

    private IBrokerClientAccount? AccountOf(string role) =>
        role.StartsWith(AccountRolePrefix, StringComparison.Ordinal) ? Account(role[AccountRolePrefix.Length..]) : null;

    private static int FreePort(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
