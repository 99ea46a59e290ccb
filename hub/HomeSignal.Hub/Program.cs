namespace HomeSignal.Hub;

/// <summary>Entry point. <see cref="Build"/> is public so the demo and tests host the same application in-process.</summary>
public static class Program
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(Program).Assembly.GetName().Name,
        });
        configure?.Invoke(builder);

        var app = builder.Build();
        return app;
    }

    public static Task Main(string[] args) => Build(args).RunAsync();
}
