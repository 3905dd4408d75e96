using QuikApp.Workers.Analytics.Housekeeping;
using QuikApp.Workers.Shared.Hosting;
using QuikApp.Workers.Shared.Mongo;

var builder = WebApplication.CreateBuilder(args);
builder.AddQuikAppWorkerDefaults("analytics");
builder.Services.AddMongoIndexBootstrap(IndexOwner.Analytics);
builder.Services.AddHousekeeping(builder.Configuration);

var app = builder.Build();
app.MapQuikAppWorkerEndpoints();
return await app.RunWorkerAsync(args);
