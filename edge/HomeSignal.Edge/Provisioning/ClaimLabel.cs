using QRCoder;

namespace HomeSignal.Edge.Provisioning;

/// <summary>
/// The printable label in the data directory: <c>claim-label.png</c> (a QR code that opens the dashboard's enrolment
/// page with the code, or holds the bare code) and <c>claim-label.txt</c> with the code in letters.
/// </summary>
public sealed class ClaimLabel(string dataDirectory)
{
    public string PngPath { get; } = Path.Combine(dataDirectory, "claim-label.png");

    public string TextPath { get; } = Path.Combine(dataDirectory, "claim-label.txt");

    /// <summary>What the QR code holds.</summary>
    public static string QrContent(string code, string? enrolUrl) =>
        string.IsNullOrWhiteSpace(enrolUrl) ? code : $"{enrolUrl}{(enrolUrl.Contains('?', StringComparison.Ordinal) ? '&' : '?')}code={code}";

    public void Write(string code, string? enrolUrl)
    {
        var content = QrContent(code, enrolUrl);
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(content, QRCodeGenerator.ECCLevel.Q);
        using var png = new PngByteQRCode(data);
        PrivateFile.Write(PngPath, png.GetGraphic(8));
        PrivateFile.Write(TextPath, $"HomeSignal sensorkit\nKoppelcode: {code}\n{(content == code ? string.Empty : content + "\n")}");
    }

    public void Delete()
    {
        foreach (var file in new[] { PngPath, TextPath })
        {
            if (File.Exists(file))
            {
                File.Delete(file);
            }
        }
    }
}
