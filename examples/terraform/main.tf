# Two task definitions as Terraform declares them: ecslint reads the container definitions
# from the jsonencode literal, and from the JSON file that file() names.

resource "aws_ecs_task_definition" "web" {
  family                   = "web"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = "arn:aws:iam::210987654321:role/ecsTaskExecutionRole"

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "ARM64"
  }

  container_definitions = jsonencode([
    {
      name                   = "web"
      image                  = "210987654321.dkr.ecr.eu-west-1.amazonaws.com/web:1.4.2"
      essential              = true
      user                   = "1000:1000"
      readonlyRootFilesystem = true
      portMappings           = [{ containerPort = 8080, protocol = "tcp" }]
      healthCheck = {
        command = ["CMD-SHELL", "curl -f http://localhost:8080/health || exit 1"]
      }
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = "/ecs/web"
          awslogs-region        = "eu-west-1"
          awslogs-stream-prefix = "web"
        }
      }
    }
  ])

  tags = {
    Team = "platform"
  }
}

resource "aws_ecs_task_definition" "worker" {
  family                   = "worker"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = "arn:aws:iam::210987654321:role/ecsTaskExecutionRole"
  container_definitions    = file("${path.module}/worker-containers.json")
}
