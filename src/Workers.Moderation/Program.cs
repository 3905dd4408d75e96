using QuikApp.Workers.Moderation;
using QuikApp.Workers.Shared.Hosting;
using QuikApp.Workers.Shared.Mongo;

var builder = WebApplication.CreateBuilder(args);
builder.AddQuikAppWorkerDefaults("moderation");
builder.Services.AddMongoIndexBootstrap(IndexOwner.Moderation);
builder.AddModerationWorker();

var app = builder.Build();
app.MapQuikAppWorkerEndpoints();
return await app.RunWorkerAsync(args);
