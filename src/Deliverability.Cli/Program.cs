using Deliverability.Cli;

return await MonitorCli.RunAsync(args, Console.Out, Console.Error);
