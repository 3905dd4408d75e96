using QuikApp.Workers.Shared.Hosting;
using QuikApp.Workers.Shared.Mongo;

var builder = WebApplication.CreateBuilder(args);
builder.AddQuikAppWorkerDefaults("moderation");
builder.Services.AddMongoIndexBootstrap(IndexOwner.Moderation);

var app = builder.Build();
app.MapQuikAppWorkerEndpoints();
return await app.RunWorkerAsync(args);
