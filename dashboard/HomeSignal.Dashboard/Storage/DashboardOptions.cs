using System.ComponentModel.DataAnnotations;

namespace HomeSignal.Dashboard.Storage;

/// <summary>Config section "Dashboard".</summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>Folder for dashboard.db (users, tasks) and audit.db (the audit log, kept apart).</summary>
    [Required(ErrorMessage = "Dashboard:DataPath is required: the folder for the dashboard's SQLite files.")]
    public string DataPath { get; set; } = string.Empty;

    /// <summary>Public base URL of the dashboard, used in e-mail links (e.g. https://homesignal.example.nl).</summary>
    public string? PublicUrl { get; set; }
}
