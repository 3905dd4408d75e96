using QuikApp.Workers.Analytics;
using QuikApp.Workers.Analytics.Housekeeping;
using QuikApp.Workers.Shared.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddQuikAppWorkerDefaults("analytics");
builder.AddAnalyticsWorker();
builder.Services.AddHousekeeping(builder.Configuration);

var app = builder.Build();
app.MapQuikAppWorkerEndpoints();
return await app.RunWorkerAsync(args);
