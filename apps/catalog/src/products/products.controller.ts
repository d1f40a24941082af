import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ListProductsQuery, type Product, type ProductList } from '@keel/contracts';
import { productNotFound } from '../catalog.problems';
import { ProductRepository } from './product.repository';

@ApiTags('products')
@Controller('products')
export class ProductsController {
  constructor(private readonly products: ProductRepository) {}

  @Get()
  list(@Query() query: ListProductsQuery): ProductList {
    return this.products.list({ category: query.category, limit: query.limit ?? 20, offset: query.offset ?? 0 });
  }

  @Get(':id')
  get(@Param('id') id: string): Product {
    const product = this.products.find(id);
    if (!product) throw productNotFound([id]);
    return product;
  }
}
