using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;

namespace Deliverability.Forecasting;

/// <summary>LightGBM regression through ML.NET: one thread and fixed seeds, so the same input gives the same model.</summary>
internal sealed class GradientBoostedRegressor
{
    public const string ModelName = "lightgbm";
    // Small, slow trees: the corrections to the seasonal baseline are small, and a year of history is little to learn from.
    public const int Iterations = 100;
    public const int Leaves = 4;
    public const int MinimumLeafRows = 30;
    public const double LearningRate = 0.03;
    public const int Seed = 20111125;

    private readonly MLContext _ml;
    private readonly SchemaDefinition _schema;
    private readonly ITransformer _model;

    private GradientBoostedRegressor(MLContext ml, SchemaDefinition schema, ITransformer model)
    {
        _ml = ml;
        _schema = schema;
        _model = model;
    }

    public static string Settings => string.Create(CultureInfo.InvariantCulture, $"it{Iterations}-lv{Leaves}-ml{MinimumLeafRows}-lr{LearningRate:0.###}-seed{Seed}");

    public static GradientBoostedRegressor Fit(IReadOnlyList<TrainingRow> rows)
    {
        var ml = new MLContext(seed: Seed);
        var schema = SchemaDefinition.Create(typeof(TrainingRow));
        schema[nameof(TrainingRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, VolumeFeatures.Count);
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        var trainer = ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
        {
            LabelColumnName = nameof(TrainingRow.Label),
            FeatureColumnName = nameof(TrainingRow.Features),
            NumberOfIterations = Iterations,
            NumberOfLeaves = Leaves,
            MinimumExampleCountPerLeaf = MinimumLeafRows,
            LearningRate = LearningRate,
            Seed = Seed,
            NumberOfThreads = 1,
            Silent = true,
        });
        return new GradientBoostedRegressor(ml, schema, trainer.Fit(data));
    }

    public float[] Predict(IReadOnlyList<TrainingRow> rows)
    {
        var scored = _model.Transform(_ml.Data.LoadFromEnumerable(rows, _schema));
        return scored.GetColumn<float>("Score").ToArray();
    }
}

/// <summary>One period seen from an anchor: its features and how far its volume was from the baseline, in recent levels.</summary>
internal sealed class TrainingRow
{
    public float[] Features { get; set; } = new float[VolumeFeatures.Count];

    public float Label { get; set; }
}
