package io.colabtop.app.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.util.List;

/**
 * CSV for spreadsheets and scripts (RFC 4180, written by jackson-dataformat-csv): a header row, then
 * one row per item, every value exact and quoted where it must be. A value that starts like a
 * formula (= + - @) is prefixed with a quote so a spreadsheet shows it instead of running it.
 */
public final class Csv {
    private static final CsvMapper MAPPER = new CsvMapper();

    private Csv() {}

    public static String write(List<String> header, List<List<Object>> rows) {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        header.forEach(schema::addColumn);
        List<List<Object>> safe =
                rows.stream().map(r -> r.stream().map(Csv::cell).toList()).toList();
        try {
            return MAPPER.writer(schema.build()).writeValueAsString(safe);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object cell(Object v) {
        if (v instanceof String s && !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0 && !isNumber(s)) {
            return "'" + s;
        }
        return v == null ? "" : v;
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
