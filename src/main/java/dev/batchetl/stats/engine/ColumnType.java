package dev.batchetl.stats.engine;

/** Column type, decided over the whole column the way pandas chooses a dtype. */
public enum ColumnType {

    INTEGER("integer"), FLOAT("float"), BOOLEAN("boolean"), DATE("date"), DATETIME("datetime"), TEXT("text");

    private final String label;

    ColumnType(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

}
