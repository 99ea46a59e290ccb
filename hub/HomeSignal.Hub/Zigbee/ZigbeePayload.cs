using System.Text;
using System.Text.Json;

namespace HomeSignal.Hub.Zigbee;

/// <summary>What one zigbee2mqtt device report says about the fields the hub uses; absent fields are null.</summary>
public sealed record ZigbeeReport(bool? Contact, bool? Occupancy, double? Battery, int? LinkQuality);

/// <summary>A refused zigbee2mqtt message: a stable reason code and a sentence.</summary>
public sealed record ZigbeeRejection(string Code, string Message);

/// <summary>
/// Parses zigbee2mqtt payloads leniently where zigbee2mqtt varies (other fields are ignored) and strictly where the hub
/// depends on them (types and ranges). Never throws on bad input.
/// </summary>
public static class ZigbeePayload
{
    public const string Malformed = "zigbee-malformed";
    public const string WrongType = "zigbee-wrong-type";
    public const string Oversize = "zigbee-oversize";
    public const string UnknownDevice = "zigbee-unknown-device";
    public const string UnknownKit = "zigbee-unknown-kit";

    public static (ZigbeeReport? Report, ZigbeeRejection? Error) ReadReport(ReadOnlySpan<byte> payload, int maxBytes)
    {
        if (Check(payload, maxBytes) is { } tooBig)
        {
            return (null, tooBig);
        }

        try
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 16 });
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, new ZigbeeRejection(Malformed, $"A device report must be a JSON object, not {root.ValueKind}."));
            }

            bool? contact = null, occupancy = null;
            double? battery = null;
            int? linkQuality = null;
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "contact":
                        contact = Bool(property.Value, "contact", out var e1);
                        if (e1 is not null)
                        {
                            return (null, e1);
                        }

                        break;
                    case "occupancy":
                        occupancy = Bool(property.Value, "occupancy", out var e2);
                        if (e2 is not null)
                        {
                            return (null, e2);
                        }

                        break;
                    case "battery":
                        if (property.Value.ValueKind == JsonValueKind.Null)
                        {
                            break;
                        }

                        if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetDouble(out var b) || !double.IsFinite(b) || b is < 0 or > 100)
                        {
                            return (null, new ZigbeeRejection(WrongType, $"'battery' must be a number 0–100, not {Show(property.Value)}."));
                        }

                        battery = b;
                        break;
                    case "linkquality":
                        if (property.Value.ValueKind == JsonValueKind.Null)
                        {
                            break;
                        }

                        if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out var lq) || lq is < 0 or > 255)
                        {
                            return (null, new ZigbeeRejection(WrongType, $"'linkquality' must be a whole number 0–255, not {Show(property.Value)}."));
                        }

                        linkQuality = lq;
                        break;
                }
            }

            return (new ZigbeeReport(contact, occupancy, battery, linkQuality), null);
        }
        catch (JsonException ex)
        {
            return (null, new ZigbeeRejection(Malformed, "The payload is not valid JSON: " + ex.Message));
        }
    }

    /// <summary>Availability: <c>{"state":"online"}</c> (zigbee2mqtt 1.x with JSON availability, 2.x) or the legacy plain <c>online</c>/<c>offline</c>.</summary>
    public static (bool? Online, ZigbeeRejection? Error) ReadAvailability(ReadOnlySpan<byte> payload, int maxBytes)
    {
        if (Check(payload, maxBytes) is { } tooBig)
        {
            return (null, tooBig);
        }

        var text = Encoding.UTF8.GetString(payload).Trim();
        if (text is "online" or "offline")
        {
            return (text == "online", null);
        }

        try
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = 8 });
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("state", out var state) && state.ValueKind == JsonValueKind.String
                && state.GetString() is "online" or "offline")
            {
                return (state.GetString() == "online", null);
            }

            return (null, new ZigbeeRejection(WrongType, "Availability must be {\"state\":\"online\"|\"offline\"} or the plain word online/offline."));
        }
        catch (JsonException ex)
        {
            return (null, new ZigbeeRejection(Malformed, "Availability is neither online/offline nor valid JSON: " + ex.Message));
        }
    }

    private static ZigbeeRejection? Check(ReadOnlySpan<byte> payload, int maxBytes)
    {
        if (payload.IsEmpty)
        {
            return new ZigbeeRejection(Malformed, "The payload is empty.");
        }

        return payload.Length > maxBytes
            ? new ZigbeeRejection(Oversize, $"The payload is {payload.Length} bytes; at most {maxBytes} are accepted.")
            : null;
    }

    private static bool? Bool(JsonElement value, string name, out ZigbeeRejection? error)
    {
        error = null;
        switch (value.ValueKind)
        {
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Null:
                return null;
            default:
                error = new ZigbeeRejection(WrongType, $"'{name}' must be true or false, not {Show(value)}.");
                return null;
        }
    }

    private static string Show(JsonElement value)
    {
        var raw = value.GetRawText();
        return raw.Length <= 40 ? raw : raw[..40] + "…";
    }
}
