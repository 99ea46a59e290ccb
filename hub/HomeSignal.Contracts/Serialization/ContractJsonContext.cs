using System.Text.Json.Serialization;
using HomeSignal.Contracts.Payloads;
using HomeSignal.Contracts.Provisioning;

namespace HomeSignal.Contracts.Serialization;

/// <summary>Source-generated serialisation for every v1 payload: camelCase, no reflection, strict numbers.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    MaxDepth = 8)]
[JsonSerializable(typeof(SensorEvent))]
[JsonSerializable(typeof(KitStatus))]
[JsonSerializable(typeof(Heartbeat))]
[JsonSerializable(typeof(HubAck))]
[JsonSerializable(typeof(KitConfig))]
[JsonSerializable(typeof(KitCommand))]
[JsonSerializable(typeof(ClaimPoll))]
[JsonSerializable(typeof(ClaimAnswer))]
[JsonSerializable(typeof(ClaimProblem))]
public sealed partial class ContractJsonContext : JsonSerializerContext;
