package dev.cachekeeper.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validates EventBridge schedule expressions ({@code rate(...)}, six-field {@code cron(...)}, and for
 * EventBridge Scheduler also one-time {@code at(...)}) and finds every schedule in a template.
 */
public final class ScheduleExpressions {

    /** A schedule found in a template; {@code scheduler} is true for EventBridge Scheduler (ScheduleV2). */
    public record Schedule(String id, Object expression, boolean scheduler) {
    }

    private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)");
    private static final Pattern CRON = Pattern.compile("cron\\((.*)\\)");
    private static final Pattern AT = Pattern.compile("at\\(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\)");
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP",
            "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

    private ScheduleExpressions() {
    }

    /** Null when valid, else why not. */
    public static String problem(String expression, boolean scheduler) {
        Matcher rate = RATE.matcher(expression);
        if (rate.matches()) {
            long value;
            try {
                value = Long.parseLong(rate.group(1));
            } catch (NumberFormatException e) {
                return "rate value too large";
            }
            boolean singular = !rate.group(2).endsWith("s");
            if (value < 1) {
                return "rate value must be a positive whole number";
            }
            if (value == 1 && !singular) {
                return "a rate of 1 takes the singular unit, e.g. rate(1 hour)";
            }
            if (value > 1 && singular) {
                return "a rate above 1 takes the plural unit, e.g. rate(5 minutes)";
            }
            return null;
        }
        if (scheduler && AT.matcher(expression).matches()) {
            return null;
        }
        Matcher cron = CRON.matcher(expression);
        if (cron.matches()) {
            return cronProblem(cron.group(1));
        }
        return "not rate(value unit), cron(6 fields)" + (scheduler ? " or at(yyyy-mm-ddThh:mm:ss)" : "");
    }

    private static String cronProblem(String body) {
        String[] f = body.trim().split("\\s+");
        if (f.length != 6) {
            return "cron needs 6 fields (minutes hours day-of-month month day-of-week year), found " + f.length;
        }
        List<String> problems = new ArrayList<>();
        check(problems, "minutes", f[0], 0, 59, List.of(), false);
        check(problems, "hours", f[1], 0, 23, List.of(), false);
        check(problems, "day-of-month", f[2], 1, 31, List.of(), true);
        check(problems, "month", f[3], 1, 12, MONTHS, false);
        check(problems, "day-of-week", f[4], 1, 7, DAYS, true);
        check(problems, "year", f[5], 1970, 2199, List.of(), false);
        boolean domAny = f[2].equals("?");
        boolean dowAny = f[4].equals("?");
        if (domAny == dowAny) {
            problems.add("exactly one of day-of-month and day-of-week must be '?'");
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    private static void check(List<String> problems, String field, String value, int min, int max,
            List<String> names, boolean dayField) {
        if (value.equals("*") || (dayField && value.equals("?"))) {
            return;
        }
        for (String part : value.split(",", -1)) {
            String p = part;
            if (dayField) {
                // L, W (day-of-month) and L, # (day-of-week) forms
                if (field.equals("day-of-month") && (p.equals("L") || p.matches("L-\\d+") || p.matches("\\d+W")
                        || p.equals("LW"))) {
                    p = p.replaceAll("[^0-9]", "");
                    if (p.isEmpty()) {
                        continue;
                    }
                } else if (field.equals("day-of-week") && p.matches("[0-9A-Za-z]+#[1-5]")) {
                    p = p.substring(0, p.indexOf('#'));
                } else if (field.equals("day-of-week") && p.matches("[0-9A-Za-z]+L")) {
                    p = p.substring(0, p.length() - 1);
                }
            }
            String[] step = p.split("/", -1);
            if (step.length > 2 || (step.length == 2 && !step[1].matches("\\d+"))) {
                problems.add(field + " has a bad increment: " + part);
                continue;
            }
            String range = step[0];
            if (range.equals("*")) {
                continue;
            }
            for (String bound : range.split("-", -1)) {
                Integer n = number(bound, names, min);
                if (n == null || n < min || n > max) {
                    problems.add(field + " value out of range " + min + "-" + max + ": " + part);
                    break;
                }
            }
        }
    }

    private static Integer number(String text, List<String> names, int min) {
        if (text.matches("\\d+")) {
            return Integer.parseInt(text);
        }
        int index = names.indexOf(text.toUpperCase());
        return index < 0 ? null : index + min;
    }

    /** Every schedule of a template: SAM Schedule/ScheduleV2 events, Events::Rule and Scheduler schedules. */
    public static List<Schedule> schedules(SamTemplate template) {
        List<Schedule> out = new ArrayList<>();
        template.resources().forEach((id, body) -> {
            String type = template.typeOf(id);
            Map<String, Object> props = template.properties(id);
            if (SamTemplate.FUNCTION.equals(type) || SamTemplate.STATE_MACHINE.equals(type)) {
                SamTemplate.asMap(props.get("Events")).forEach((name, event) -> {
                    Map<String, Object> e = SamTemplate.asMap(event);
                    Map<String, Object> p = SamTemplate.asMap(e.get("Properties"));
                    if ("Schedule".equals(e.get("Type"))) {
                        out.add(new Schedule(id + "." + name, p.get("Schedule"), false));
                    } else if ("ScheduleV2".equals(e.get("Type"))) {
                        out.add(new Schedule(id + "." + name, p.get("ScheduleExpression"), true));
                    }
                });
            } else if ("AWS::Events::Rule".equals(type) && props.containsKey("ScheduleExpression")) {
                out.add(new Schedule(id, props.get("ScheduleExpression"), false));
            } else if ("AWS::Scheduler::Schedule".equals(type)) {
                out.add(new Schedule(id, props.get("ScheduleExpression"), true));
            }
        });
        return out;
    }

    /** One message per invalid schedule; expressions are evaluated with parameters at their defaults. */
    public static List<String> check(SamTemplate template) {
        Intrinsics intrinsics = new Intrinsics(template);
        List<String> problems = new ArrayList<>();
        for (Schedule s : schedules(template)) {
            Object resolved;
            try {
                resolved = intrinsics.resolve(s.expression());
            } catch (RuntimeException e) {
                problems.add("schedule " + s.id() + " cannot be evaluated: " + e.getMessage());
                continue;
            }
            if (!(resolved instanceof String text)) {
                problems.add("schedule " + s.id() + " has no expression");
                continue;
            }
            String problem = problem(text, s.scheduler());
            if (problem != null) {
                problems.add("schedule " + s.id() + " '" + text + "': " + problem);
            }
        }
        return problems;
    }
}
