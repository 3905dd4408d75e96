using QuikApp.Workers.Analytics;
using QuikApp.Workers.Shared.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddQuikAppWorkerDefaults("analytics");
builder.AddAnalyticsWorker();

var app = builder.Build();
app.MapQuikAppWorkerEndpoints();
return await app.RunWorkerAsync(args);
