using QuikApp.Workers.Testing.Storage;

// One s3rver for the assembly, started only by a test that needs it (after the MongoDB lane let it run), killed at the end.
[assembly: AssemblyFixture(typeof(S3rverFixture))]
