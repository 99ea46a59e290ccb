using HomeSignal.Dashboard.Accounts;
using HomeSignal.Dashboard.Audit;
using HomeSignal.Dashboard.Hub;
using HomeSignal.Dashboard.Installation;
using HomeSignal.Dashboard.Outreach;
using HomeSignal.Dashboard.Pages;
using HomeSignal.Dashboard.Storage;

namespace HomeSignal.Dashboard;

/// <summary>Entry point. <see cref="Build"/> is public so the demo and tests host the same application in-process.</summary>
public static class Program
{
    /// <summary>
    /// Builds the dashboard. <paramref name="configure"/> runs after the features are added, so it can override
    /// configuration (Hub:BaseUrl, Hub:ApiKey, Dashboard:DataPath, Belronde:*, Outreach:*, Smtp:*), URLs and the TimeProvider.
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(Program).Assembly.GetName().Name,
        });
        builder.AddStorage();
        builder.AddAccounts();
        builder.AddAudit();
        builder.AddHub();
        builder.AddOutreach();
        builder.AddInstallation();
        builder.AddPages();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapPages();
        return app;
    }

    public static async Task<int> Main(string[] args)
    {
        if (AdminCommand.IsRequested(args))
        {
            await using var admin = Build(AdminCommand.ConfigurationArgs(args));
            return AdminCommand.Run(args, admin.Services.GetRequiredService<UserStore>(), Console.Out);
        }

        await using var app = Build(args);
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException e)
        {
            // Bad configuration: say which keys, without a stack trace.
            await Console.Error.WriteLineAsync("HomeSignal.Dashboard cannot start: " + string.Join(" ", e.Failures));
            return 2;
        }
    }
}
