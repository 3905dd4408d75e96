using QuikApp.Workers.Testing.Storage;

// One s3rver for the whole assembly, started by the first test that needs it.
[assembly: AssemblyFixture(typeof(S3rverFixture))]
