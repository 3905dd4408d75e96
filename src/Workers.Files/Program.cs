using QuikApp.Workers.Files;
using QuikApp.Workers.Shared.Hosting;
using QuikApp.Workers.Shared.Mongo;

var builder = WebApplication.CreateBuilder(WorkerCommandLine.ConfigurationArguments(args));
builder.AddQuikAppWorkerDefaults("files");
builder.Services.AddMongoIndexBootstrap(IndexOwner.Files);
builder.AddFilesWorker();

var app = builder.Build();
app.MapQuikAppWorkerEndpoints();
return await app.RunWorkerAsync(args);
