/** The `text-classifier` model type as the emulator lists it (contract §4.7, templates and defaults from §4.10). */

export interface TemplateSpec {
  id: string;
  description: string;
  fields: { path: string; default_value: unknown; field_type: number; description?: string }[];
}

const tolerance = { path: 'train_info.params.invalid_data_tolerance_percent', default_value: 5.0, field_type: 3 };

export const TEMPLATES: TemplateSpec[] = [
  {
    id: 'HuggingFace_AdvancedConfig',
    description: 'Custom Hugging Face model, trainer and tokenizer configs',
    fields: [
      tolerance,
      { path: 'train_info.params.model_config', field_type: 10, default_value: { problem_type: 'multi_label_classification', pretrained_model_name_or_path: 'bert-base-cased', torch_dtype: 'torch.float32' } },
      { path: 'train_info.params.tokenizer_config', field_type: 10, default_value: {} },
      { path: 'train_info.params.trainer_config', field_type: 10, default_value: { num_train_epochs: 1.0, auto_find_batch_size: true, output_dir: 'checkpoint' } },
    ],
  },
  {
    id: 'HF_GPTNeo_125m_lora',
    description: 'GPT-Neo 125M with LoRA',
    fields: [
      tolerance,
      { path: 'train_info.params.model_config', field_type: 10, default_value: { pretrained_model_name: 'EleutherAI/gpt-neo-125m', torch_dtype: 'torch.float32', problem_type: 'multi_label_classification' } },
      { path: 'train_info.params.peft_config', field_type: 10, default_value: { r: 16.0, peft_type: 'LORA', task_type: 'SEQ_CLS', lora_dropout: 0.1, inference_mode: false, lora_alpha: 16.0 } },
      { path: 'train_info.params.tokenizer_config', field_type: 10, default_value: {} },
      { path: 'train_info.params.trainer_config', field_type: 10, default_value: { auto_find_batch_size: true, num_train_epochs: 1.0 } },
    ],
  },
  ...['HF_GPTNeo_2p7b_lora', 'HF_Llama_2_13b_chat_GPTQ_lora', 'HF_Llama_2_7b_chat_GPTQ_lora', 'HF_Mistral_7b_instruct_GPTQ_lora'].map((id) => ({
    id,
    description: id,
    fields: [tolerance],
  })),
];

export function textClassifierType(): Record<string, unknown> {
  return {
    id: 'text-classifier',
    title: 'Text Classifier',
    description: 'Classify text into a set of concepts',
    input_fields: ['text'],
    output_fields: ['concepts'],
    trainable: true,
    creatable: true,
    model_type_fields: [
      {
        path: 'output_info.data',
        field_type: 4,
        required: true,
        description: 'List of concepts you want this model to predict from any existing concepts in your app.',
      },
      {
        path: 'train_info.params.template',
        field_type: 8,
        default_value: 'HuggingFace_AdvancedConfig',
        model_type_enum_options: TEMPLATES.map((t) => ({ id: t.id, description: t.description, model_type_fields: t.fields })),
      },
      { path: 'output_info.params.select_concepts', field_type: 4, default_value: [] },
    ],
  };
}
