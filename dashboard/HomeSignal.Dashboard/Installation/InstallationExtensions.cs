namespace HomeSignal.Dashboard.Installation;

public static class InstallationExtensions
{
    /// <summary>The installer's pages (enrolment, walk test, go-live, revoke/replace) and decommissioning.</summary>
    public static WebApplicationBuilder AddInstallation(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ResidentErasure>();
        return builder;
    }
}
