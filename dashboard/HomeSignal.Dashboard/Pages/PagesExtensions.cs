using HomeSignal.Dashboard.Consent;
using HomeSignal.Dashboard.Trends;
using Microsoft.Extensions.FileProviders;

namespace HomeSignal.Dashboard.Pages;

public static class PagesExtensions
{
    public static WebApplicationBuilder AddPages(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorPages();
        builder.Services.AddSingleton<ResidentAccess>();
        builder.Services.AddSingleton<ContactAssignment>();
        builder.Services.AddSingleton<ChartData>();
        return builder;
    }

    public static WebApplication MapPages(this WebApplication app)
    {
        app.UseExceptionHandler("/Status/500");
        app.UseStatusCodePagesWithReExecute("/Status/{0}");
        app.Use(async (context, next) =>
        {
            // Scripts only from our own files (no inline script), no framing, no sniffing.
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            await next();
        });
        // Embedded, so the files are served when the demo or a test is the entry assembly.
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new EmbeddedFileProvider(typeof(Program).Assembly, "HomeSignal.Dashboard.wwwroot"),
        });
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapRazorPages();
        app.MapGet("/health", () => "ok").AllowAnonymous();
        return app;
    }
}
