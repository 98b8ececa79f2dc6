/** modules/ecr: one private repository per service, scanned on push, with a lifecycle policy. */
import type { ExportFile } from '../model.js';
import { output, tfFile, variable } from './hcl.js';

const MAIN = `
resource "aws_ecr_repository" "this" {
  for_each             = toset(var.repositories)
  name                 = each.value
  image_tag_mutability = "IMMUTABLE"
  force_delete         = false

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "AES256"
  }
}

resource "aws_ecr_lifecycle_policy" "this" {
  for_each   = aws_ecr_repository.this
  repository = each.value.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "keep the last \${var.keep_images} images"
      selection    = { tagStatus = "any", countType = "imageCountMoreThan", countNumber = var.keep_images }
      action       = { type = "expire" }
    }]
  })
}
`;

const VARIABLES = [
  variable('repositories', 'list(string)', 'Repository names, one per service image.'),
  variable('keep_images', 'number', 'How many images each repository keeps; older ones expire.', '30'),
].join('\n\n');

const OUTPUTS = [
  output('repository_urls', '{ for name, repo in aws_ecr_repository.this : name => repo.repository_url }', 'Repository URL by repository name.'),
  output('repository_arns', '[for repo in aws_ecr_repository.this : repo.arn]', 'Every repository ARN (the deploy role may push to these only).'),
].join('\n\n');

export function ecrModule(): ExportFile[] {
  return [tfFile('modules/ecr/main.tf', MAIN), tfFile('modules/ecr/variables.tf', VARIABLES), tfFile('modules/ecr/outputs.tf', OUTPUTS)];
}
