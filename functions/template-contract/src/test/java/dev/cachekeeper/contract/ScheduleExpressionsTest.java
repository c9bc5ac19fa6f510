package dev.cachekeeper.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ScheduleExpressionsTest {

    @ParameterizedTest
    @ValueSource(strings = {"rate(1 minute)", "rate(5 minutes)", "rate(1 hour)", "rate(12 hours)", "rate(1 day)",
            "rate(7 days)", "cron(0 3 * * ? *)", "cron(15 10 ? * MON-FRI *)", "cron(0/15 * * * ? *)",
            "cron(0 8 1 JAN,JUL ? 2030)", "cron(0 18 L * ? *)", "cron(0 9 ? * 6L *)", "cron(0 10 ? * 2#1 *)",
            "cron(0 12 15W * ? *)"})
    void validExpressions(String expression) {
        assertNull(ScheduleExpressions.problem(expression, false), expression);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rate(1 minutes)", "rate(5 minute)", "rate(0 minutes)", "rate(5 weeks)", "rate(5m)",
            "cron(0 3 * * *)", "cron(0 3 * * * *)", "cron(0 3 ? * ? *)", "cron(60 3 * * ? *)", "cron(0 24 * * ? *)",
            "cron(0 3 32 * ? *)", "cron(0 3 ? 13 * *)", "cron(0 3 ? * 8 *)", "cron(0 3 * * ? 1969)",
            "cron(0 3 * FOO ? *)", "at(2030-01-01T00:00:00)", "every day", ""})
    void invalidExpressions(String expression) {
        assertNotNull(ScheduleExpressions.problem(expression, false), expression);
    }

    @Test
    void oneTimeSchedulesOnlyForEventBridgeScheduler() {
        assertNull(ScheduleExpressions.problem("at(2030-01-01T00:00:00)", true));
    }

    @Test
    void findsAndChecksEverySchedule() {
        SamTemplate template = SamTemplate.parse("""
                Parameters:
                  Every: {Type: String, Default: rate(6 hours)}
                Resources:
                  F:
                    Type: AWS::Serverless::Function
                    Properties:
                      Events:
                        Sweep: {Type: Schedule, Properties: {Schedule: !Ref Every}}
                        Drill: {Type: ScheduleV2, Properties: {ScheduleExpression: 'cron(0 3 * * * *)'}}
                  R: {Type: AWS::Events::Rule, Properties: {ScheduleExpression: rate(1 days)}}
                """);
        assertEquals(3, ScheduleExpressions.schedules(template).size());
        List<String> problems = ScheduleExpressions.check(template);
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("schedule F.Drill 'cron(0 3 * * * *)'"), problems.get(0));
        assertTrue(problems.get(1).startsWith("schedule R 'rate(1 days)'"), problems.get(1));
    }
}
