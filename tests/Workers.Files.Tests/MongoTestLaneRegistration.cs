using QuikApp.Workers.Testing.Mongo;

// One real-MongoDB lane for the whole assembly: started once, shared by every store test, its databases dropped at the end.
[assembly: AssemblyFixture(typeof(MongoTestLane))]
