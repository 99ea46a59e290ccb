using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace HomeSignal.Hub.Storage.Influx;

/// <summary>InfluxDB refused a request, or answered with something the hub cannot use.</summary>
public sealed class InfluxException : Exception
{
    public InfluxException()
    {
    }

    public InfluxException(string message)
        : base(message)
    {
    }

    public InfluxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InfluxException(string message, HttpStatusCode? statusCode)
        : base(message) => StatusCode = statusCode;

    /// <summary>The HTTP status InfluxDB answered with, if it answered at all.</summary>
    public HttpStatusCode? StatusCode { get; }
}

/// <summary>One series of a query answer: its name, tags and rows (values as JSON, in <see cref="Columns"/> order).</summary>
public sealed record InfluxSeries(string Name, IReadOnlyDictionary<string, string> Tags, IReadOnlyList<string> Columns, IReadOnlyList<JsonElement[]> Rows)
{
    public int Column(string name)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>The answer of one write: 204 means InfluxDB has the points in its WAL (fsynced); anything else is an error.</summary>
internal readonly record struct WriteAnswer(HttpStatusCode Status, string Error)
{
    public bool Durable => Status == HttpStatusCode.NoContent;

    /// <summary>Worth retrying: InfluxDB is overloaded, restarting or failing transiently (5xx, 429, 408).</summary>
    public bool Transient => (int)Status >= 500 || Status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout;

    /// <summary>InfluxDB refused some points of the batch (bad line, type conflict, outside retention).</summary>
    public bool PointsRefused => Status is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge;
}

/// <summary>
/// InfluxDB's v1 HTTP API (also served by 1.8+, 2.x and 3.x): line protocol to <c>/write</c>, InfluxQL on
/// <c>/query</c>. No client library: InfluxDB.Client is not available here, and the two endpoints are small.
/// </summary>
internal sealed class InfluxApi
{
    private readonly HttpClient _http;
    private readonly InfluxOptions _options;

    public InfluxApi(HttpClient http, InfluxOptions options)
    {
        _http = http;
        _options = options;
    }

    /// <summary>Writes lines to a retention policy. Throws <see cref="HttpRequestException"/> when InfluxDB is unreachable.</summary>
    public async Task<WriteAnswer> WriteAsync(string retentionPolicy, string body, CancellationToken cancellationToken)
    {
        var uri = Endpoint($"/write?db={Uri.EscapeDataString(_options.Database)}&rp={Uri.EscapeDataString(retentionPolicy)}&precision=ns");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(body, Encoding.UTF8, "text/plain") };
        Authorize(request);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        try
        {
            using var response = await _http.SendAsync(request, timeout.Token);
            if (response.StatusCode == HttpStatusCode.NoContent)
            {
                return new WriteAnswer(response.StatusCode, string.Empty);
            }

            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            return new WriteAnswer(response.StatusCode, ErrorText(text));
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HttpRequestException($"InfluxDB did not answer a write within {_options.RequestTimeout.TotalSeconds:0} s.", ex);
        }
    }

    /// <summary>
    /// Runs InfluxQL. Statements that change something must use POST; reads use GET unless they are long (many kit
    /// ids), which would make an unwieldy URL.
    /// </summary>
    public async Task<IReadOnlyList<InfluxSeries>> QueryAsync(string influxQl, bool changes, CancellationToken cancellationToken)
    {
        var db = Uri.EscapeDataString(_options.Database);
        HttpRequestMessage request;
        if (changes || influxQl.Length > 2000)
        {
            request = new HttpRequestMessage(HttpMethod.Post, Endpoint($"/query?db={db}&epoch=ns"))
            {
                Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("q", influxQl)]),
            };
        }
        else
        {
            request = new HttpRequestMessage(HttpMethod.Get, Endpoint($"/query?db={db}&epoch=ns&q={Uri.EscapeDataString(influxQl)}"));
        }

        using (request)
        {
            Authorize(request);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            using var response = await _http.SendAsync(request, timeout.Token);
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new InfluxException($"InfluxDB answered {(int)response.StatusCode} to '{Shorten(influxQl)}': {ErrorText(text)}", response.StatusCode);
            }

            return ParseQueryAnswer(text, influxQl);
        }
    }

    private static List<InfluxSeries> ParseQueryAnswer(string text, string influxQl)
    {
        var result = new List<InfluxSeries>();
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.TryGetProperty("error", out var topError))
            {
                throw new InfluxException($"InfluxDB refused '{Shorten(influxQl)}': {topError.GetString()}");
            }

            foreach (var statement in doc.RootElement.GetProperty("results").EnumerateArray())
            {
                if (statement.TryGetProperty("error", out var error))
                {
                    throw new InfluxException($"InfluxDB refused '{Shorten(influxQl)}': {error.GetString()}");
                }

                if (!statement.TryGetProperty("series", out var series))
                {
                    continue;
                }

                foreach (var s in series.EnumerateArray())
                {
                    var tags = new Dictionary<string, string>(StringComparer.Ordinal);
                    if (s.TryGetProperty("tags", out var tagElement))
                    {
                        foreach (var tag in tagElement.EnumerateObject())
                        {
                            tags[tag.Name] = tag.Value.GetString() ?? string.Empty;
                        }
                    }

                    var columns = s.GetProperty("columns").EnumerateArray().Select(c => c.GetString() ?? string.Empty).ToList();
                    var rows = new List<JsonElement[]>();
                    if (s.TryGetProperty("values", out var values))
                    {
                        foreach (var row in values.EnumerateArray())
                        {
                            rows.Add(row.EnumerateArray().Select(v => v.Clone()).ToArray());
                        }
                    }

                    result.Add(new InfluxSeries(s.TryGetProperty("name", out var n) ? n.GetString() ?? string.Empty : string.Empty, tags, columns, rows));
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InfluxException($"InfluxDB's answer to '{Shorten(influxQl)}' was not the expected JSON: {ex.Message}", ex);
        }

        return result;
    }

    private Uri Endpoint(string pathAndQuery) => new(_options.Url, pathAndQuery);

    private void Authorize(HttpRequestMessage request)
    {
        if (!string.IsNullOrEmpty(_options.Username))
        {
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_options.Username}:{_options.Password}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", token);
        }
    }

    private static string ErrorText(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var error))
            {
                return error.GetString() ?? body;
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's error page, for instance): report the start of it.
        }

        return Shorten(body);
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
