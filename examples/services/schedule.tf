resource "aws_ecs_task_definition" "report" {
  family = "report"
  container_definitions = jsonencode([
    { name = "app", image = "example/report:2.0.1", memory = 512 }
  ])
}

resource "aws_cloudwatch_event_target" "nightly" {
  rule  = aws_cloudwatch_event_rule.nightly.name
  arn   = aws_ecs_cluster.jobs.arn
  input = jsonencode({ containerOverrides = [{ name = "reporter", command = ["report", "--daily"] }] })
  ecs_target {
    task_definition_arn = aws_ecs_task_definition.report.arn
  }
}
