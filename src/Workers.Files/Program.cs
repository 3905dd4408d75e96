using QuikApp.Workers.Files.Scanning;
using QuikApp.Workers.Files.Thumbnails;
using QuikApp.Workers.Shared.Hosting;
using QuikApp.Workers.Shared.Mongo;

var builder = WebApplication.CreateBuilder(args);
builder.AddQuikAppWorkerDefaults("files");
builder.Services.AddMongoIndexBootstrap(IndexOwner.Files);
builder.Services.AddClamdScanning();
builder.Services.AddThumbnailsAndMetadata(builder.Configuration);

var app = builder.Build();
app.MapQuikAppWorkerEndpoints();
return await app.RunWorkerAsync(args);
