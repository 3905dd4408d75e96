using QuikApp.Tools.SpamModel;

// Trains the bootstrap spam model from the committed SpamAssassin file and writes the model zip and its metrics.
//   dotnet run --project tools/SpamModelTrainer -c Release -- [--compare] [--seed N] [--data FILE] [--out DIR]
// tools/spam-model/rebuild.sh runs the corpus step and then this.
var arguments = TrainerArguments.Parse(args);
if (arguments is null)
{
    Console.Error.WriteLine(TrainerArguments.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
await TrainingRun.RunAsync(arguments, Console.Out, cancel.Token);
return 0;
