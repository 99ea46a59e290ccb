namespace HomeSignal.Edge;

/// <summary>Entry point. <see cref="Build"/> is public so the demo and tests host the same worker in-process.</summary>
public static class Program
{
    public static IHost Build(string[] args, Action<HostApplicationBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(args);
        configure?.Invoke(builder);
        return builder.Build();
    }

    public static Task Main(string[] args) => Build(args).RunAsync();
}
