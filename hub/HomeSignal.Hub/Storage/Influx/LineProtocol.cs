using System.Globalization;
using System.Text;

namespace HomeSignal.Hub.Storage.Influx;

/// <summary>Builds one InfluxDB line-protocol line with correct escaping (measurement, tags, fields, ns timestamp).</summary>
internal sealed class LineProtocol
{
    private readonly StringBuilder _line = new(160);
    private bool _hasField;

    public LineProtocol(string measurement) => Escape(measurement, _line, ", ");

    public LineProtocol Tag(string key, string value)
    {
        if (_hasField)
        {
            throw new InvalidOperationException("Tags must come before fields.");
        }

        if (value.Length == 0)
        {
            // InfluxDB refuses empty tag values; an absent tag is the same series as an empty one.
            return this;
        }

        _line.Append(',');
        Escape(key, _line, ",= ");
        _line.Append('=');
        Escape(value, _line, ",= ");
        return this;
    }

    public LineProtocol Field(string key, string value)
    {
        FieldKey(key);
        _line.Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                _line.Append('\\');
            }

            // Line protocol has no escape for newlines; a raw one would split the line.
            _line.Append(c is '\n' or '\r' ? ' ' : c);
        }

        _line.Append('"');
        return this;
    }

    public LineProtocol Field(string key, long value)
    {
        FieldKey(key);
        _line.Append(value.ToString(CultureInfo.InvariantCulture)).Append('i');
        return this;
    }

    public LineProtocol Field(string key, double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "InfluxDB stores finite numbers only.");
        }

        FieldKey(key);
        // "R" keeps the value exact; a float field always carries a decimal point or exponent so it stays a float.
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        _line.Append(text);
        if (!text.Contains('.', StringComparison.Ordinal) && !text.Contains('E', StringComparison.Ordinal))
        {
            _line.Append(".0");
        }

        return this;
    }

    public LineProtocol Field(string key, bool value)
    {
        FieldKey(key);
        _line.Append(value ? "true" : "false");
        return this;
    }

    public string At(long unixNanoseconds)
    {
        if (!_hasField)
        {
            throw new InvalidOperationException("A point needs at least one field.");
        }

        return _line.Append(' ').Append(unixNanoseconds.ToString(CultureInfo.InvariantCulture)).ToString();
    }

    private void FieldKey(string key)
    {
        _line.Append(_hasField ? ',' : ' ');
        _hasField = true;
        Escape(key, _line, ",= ");
        _line.Append('=');
    }

    private static void Escape(string value, StringBuilder target, string special)
    {
        foreach (var c in value)
        {
            if (c is '\n' or '\r')
            {
                target.Append(' ');
                continue;
            }

            if (special.Contains(c, StringComparison.Ordinal))
            {
                target.Append('\\');
            }

            target.Append(c);
        }
    }
}
